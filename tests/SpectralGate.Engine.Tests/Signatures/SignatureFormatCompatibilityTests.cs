using SpectralGate.Engine.Signatures;
using static SpectralGate.Engine.Tests.Signatures.WrittenJson;

namespace SpectralGate.Engine.Tests.Signatures;

/// <summary>
/// Signature files written by the release before the engine split (main 52befa1, Fixtures/compat/README.md) are read
/// by this one with every value they hold: the promise of docs/compatibility.md for the signature format.
/// </summary>
public class SignatureFormatCompatibilityTests
{
    [Test]
    public void ASignatureWrittenByTheReleaseOf20261201IsReadWithEveryValue()
    {
        string path = Fixture("bars-cnn.2026-12-01.signature.json");

        var read = SignatureJson.Read(path);

        Assert.Multiple(() => AssertSignature(read, Root(path), path));
        Assert.That(read.Layers.Select(l => l.Name), Is.EqualTo(new[] { "conv2.weight", "fc1.weight", "fc2.weight" }), "the file is the one the README describes");
    }

    [TestCase("bars-cnn.2026-12-01.shard-1-of-2.json")]
    [TestCase("bars-cnn.2026-12-01.shard-2-of-2.json")]
    public void APartialSignatureOfThatReleaseIsReadWithEveryValue(string name)
    {
        string path = Fixture(name);

        var read = SignatureJson.Read(path);

        Assert.Multiple(() => AssertSignature(read, Root(path), path));
        Assert.That(read.Settings["shard"], Is.EqualTo(name.Contains("1-of-2") ? "1/2" : "2/2"));
    }

    [Test]
    public void ThatReleasesPartsMergeIntoItsWholeSignature()
    {
        string[] names = ["bars-cnn.2026-12-01.shard-2-of-2.json", "bars-cnn.2026-12-01.shard-1-of-2.json"];
        string whole = Fixture("bars-cnn.2026-12-01.signature.json");

        var merged = SignatureMerge.Merge([.. names.Select(n => (Fixture(n), SignatureJson.Read(Fixture(n))))]);

        // The whole run's file, read as text, is what the merge of the parts must say.
        Assert.Multiple(() => AssertSignature(merged, Root(whole), $"merge of {string.Join(", ", names)} against {whole}"));
    }
}
