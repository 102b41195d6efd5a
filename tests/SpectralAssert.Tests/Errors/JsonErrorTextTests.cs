using System.Text;
using SpectralGate.Engine.Errors;
using SpectralGate.Engine.Signatures;

namespace SpectralGate.Engine.Tests.Errors;

public class JsonErrorTextTests
{
    [Test]
    public void AHandEditedBaselineErrorGivesTheParsersLineAndColumnInPlainWords()
    {
        // A trailing comma after "format_version": 1 on line 2; the closing brace is at line 3, column 1.
        string json = "{\n  \"format_version\": 1,\n}\n";

        var e = Assert.Throws<BaselineFormatException>(() => SignatureJson.Parse("baselines/m.spectral.json", Encoding.UTF8.GetBytes(json)));

        Assert.That(e!.Message, Does.Contain("line 3, column 1:"));
        Assert.That(e.Message, Does.Not.Contain("Change the reader options").And.Not.Contain("LineNumber").And.Not.Contain("BytePositionInLine"));
    }

    [Test]
    public void AnInvalidValueKeepsTheParsersProblem()
    {
        string json = "{\n  \"format_version\": tru\n}";

        var e = Assert.Throws<BaselineFormatException>(() => SignatureJson.Parse("b.json", Encoding.UTF8.GetBytes(json)));

        Assert.That(e!.Message, Does.Contain("line 2, column").And.Contain("invalid"));
    }
}
