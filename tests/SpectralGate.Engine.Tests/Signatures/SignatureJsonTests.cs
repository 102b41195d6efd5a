using System.Globalization;
using System.Text;
using SpectralGate.Engine.Errors;
using SpectralGate.Engine.Signatures;
using SpectralGate.Tests.Support;
using static SpectralGate.Tests.Support.TestSignatures;

namespace SpectralGate.Engine.Tests.Signatures;

public class SignatureJsonTests
{
    private static SpectralSignature Sample() => Of(
        Layer("layers.10.w", [64, 32], ("stable_rank", 1.0 / 3), ("alpha", 4.25), ("xmin", null)),
        Layer("layers.2.w", [32, 32], ("stable_rank", 0.1 + 0.2), ("alpha", 1e-20)));

    [Test]
    public void WritesSortedKeysLfAndATrailingNewline()
    {
        string text = SignatureJson.ToText(Sample());

        Assert.Multiple(() =>
        {
            Assert.That(text, Does.Not.Contain("\r"));
            Assert.That(text, Does.EndWith("}\n"));
            Assert.That(text.IndexOf("\"format_version\"", StringComparison.Ordinal), Is.LessThan(text.IndexOf("\"layers\"", StringComparison.Ordinal)));
            Assert.That(text.IndexOf("\"layers\"", StringComparison.Ordinal), Is.LessThan(text.IndexOf("\"model\"", StringComparison.Ordinal)));
            Assert.That(text.IndexOf("\"alpha\"", StringComparison.Ordinal), Is.LessThan(text.IndexOf("\"stable_rank\"", StringComparison.Ordinal)));
        });
    }

    [Test]
    public void NumbersAreRoundedToTenSignificantDigitsInShortestForm()
    {
        string text = SignatureJson.ToText(Sample());

        Assert.Multiple(() =>
        {
            Assert.That(text, Does.Contain("\"stable_rank\": 0.3333333333,"));
            Assert.That(text, Does.Contain("\"stable_rank\": 0.3\n"), "0.1 + 0.2 = 0.30000000000000004 is written 0.3");
            Assert.That(text, Does.Contain("\"alpha\": 1E-20,"));
            Assert.That(text, Does.Contain("\"xmin\": null"));
        });
    }

    [Test]
    public void TheCurrentCultureDoesNotLeakIntoTheFile()
    {
        var saved = CultureInfo.CurrentCulture;
        try
        {
            CultureInfo.CurrentCulture = new CultureInfo("de-DE");
            Assert.That(SignatureJson.ToText(Sample()), Does.Contain("4.25").And.Not.Contain("4,25"));
        }
        finally
        {
            CultureInfo.CurrentCulture = saved;
        }
    }

    [Test]
    public void ReadingBackGivesTheSameBytes()
    {
        byte[] first = SignatureJson.ToBytes(Sample());

        var parsed = SignatureJson.Parse("sample.json", first);

        Assert.That(SignatureJson.ToBytes(parsed), Is.EqualTo(first));
    }

    [Test]
    public void WriteIsAtomicAndLeavesNoTemporaryFile()
    {
        string folder = TestPaths.NewScratchFolder();
        string path = Path.Combine(folder, "model.spectral.json");

        SignatureJson.Write(path, Sample());
        SignatureJson.Write(path, Sample());

        Assert.That(Directory.GetFiles(folder).Select(Path.GetFileName), Is.EqualTo(new[] { "model.spectral.json" }));
        Assert.That(File.ReadAllBytes(path), Is.EqualTo(SignatureJson.ToBytes(Sample())));
    }

    [TestCase("not json", "not valid JSON")]
    [TestCase("[]", "not a JSON object")]
    [TestCase("{}", "format_version")]
    [TestCase("""{"format_version": 99}""", "not supported")]
    [TestCase("""{"format_version": 1, "model": {"path": "m", "format": "f", "sha256": "s", "parameter_count": 1}, "settings": {}}""", "'layers'")]
    public void BrokenFilesNameTheFileAndTheProblem(string json, string problem)
    {
        var e = Assert.Throws<BaselineFormatException>(() => SignatureJson.Parse("baselines/broken.json", Encoding.UTF8.GetBytes(json)));

        Assert.That(e!.Message, Does.StartWith("baselines/broken.json").And.Contain(problem));
    }

    [Test]
    public void ABadMetricNamesItsLayer()
    {
        string json = SignatureJson.ToText(Sample()).Replace("\"alpha\": 4.25", "\"alpha\": \"high\"");

        var e = Assert.Throws<BaselineFormatException>(() => SignatureJson.Parse("b.json", Encoding.UTF8.GetBytes(json)));

        Assert.That(e!.Layer, Is.EqualTo("layers.10.w"));
        Assert.That(e.Message, Does.Contain("alpha"));
    }

    [Test]
    public void DuplicateLayersAreRefused()
    {
        string json = SignatureJson.ToText(Of(Layer("w", [8, 8], ("alpha", 3.0)), Layer("w", [8, 8], ("alpha", 3.0))));

        var e = Assert.Throws<BaselineFormatException>(() => SignatureJson.Parse("b.json", Encoding.UTF8.GetBytes(json)));

        Assert.That(e!.Message, Does.Contain("more than once"));
    }

    [Test]
    public void DeeplyNestedJsonIsRefusedNotOverflowed()
    {
        string json = new string('[', 50_000) + new string(']', 50_000);

        Assert.Throws<BaselineFormatException>(() => SignatureJson.Parse("deep.json", Encoding.UTF8.GetBytes(json)));
    }

    [Test]
    public void MissingFileIsABaselineFormatException()
    {
        var e = Assert.Throws<BaselineFormatException>(() => SignatureJson.Read("/nonexistent/baseline.json"));
        Assert.That(e!.Message, Does.Contain("/nonexistent/baseline.json").And.Contain("not found"));
    }
}
