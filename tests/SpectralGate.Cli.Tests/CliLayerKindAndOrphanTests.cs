using SpectralGate.Engine.Signatures;
using SpectralGate.Engine.Snapshots;
using SpectralGate.Engine.Sources.Safetensors;
using SpectralGate.Tests.Support;

namespace SpectralGate.Cli.Tests;

/// <summary><c>--layer-kind</c> on inspect, and <c>accept --list-orphans</c>, through the built tool.</summary>
public class CliLayerKindAndOrphanTests
{
    [Test]
    public void InspectGivesLayersTheKindTheMapSaysAndRecordsIt()
    {
        var random = new Random(2);
        string model = SafetensorsFixtures.Write(SafetensorsWriter.Float32("tok.weight", [64, 16], Enumerable.Range(0, 64 * 16).Select(_ => (float)random.NextDouble()).ToArray()));
        string json = Path.Combine(TestPaths.NewScratchFolder(), "sig.json");

        var run = CliRunner.Run("inspect", model, "--layer-kind", "tok.weight=embedding", "--json", json);
        var typo = CliRunner.Run("inspect", model, "--layer-kind", "tok.weight=embeding");

        Assert.That(run.ExitCode, Is.EqualTo(0), run.Error);
        var signature = SignatureJson.Read(json);
        Assert.That(signature.Layers.Single().Kind, Is.EqualTo(SpectralGate.Engine.Matrices.LayerKind.Embedding));
        Assert.That(signature.Settings["layer_kinds"], Is.EqualTo("tok.weight=embedding"));
        Assert.That(typo.ExitCode, Is.EqualTo(2));
        Assert.That(typo.Error, Does.Contain("'embeding'").And.Contain("attention_projection"));
    }

    [Test]
    public void ListOrphansNamesTheVerifiedFilesTheLastRunDidNotUse()
    {
        string root = TestPaths.NewScratchFolder();
        string used = Path.Combine(root, "Tests", "A.M.spectral.verified.json");
        string orphan = Path.Combine(root, "Tests", "B.M.spectral.verified.json");
        Directory.CreateDirectory(Path.Combine(root, "Tests"));
        File.WriteAllText(used, "{}");
        File.WriteAllText(orphan, "{}");

        var before = CliRunner.Run("accept", root, "--list-orphans");
        UsedSnapshotLedger.Record(Path.Combine(root, "Tests", "obj"), used);
        var after = CliRunner.Run("accept", root, "--list-orphans");
        UsedSnapshotLedger.Record(Path.Combine(root, "Tests", "obj"), orphan);
        var none = CliRunner.Run("accept", root, "--list-orphans");

        Assert.That(before.ExitCode, Is.EqualTo(2), "no ledger: no run to judge by");
        Assert.That(after.ExitCode, Is.EqualTo(1));
        Assert.That(after.Output, Is.EqualTo($"orphan {Path.Combine("Tests", "B.M.spectral.verified.json")}\n"));
        Assert.That(File.Exists(orphan), Is.True, "listing deletes and accepts nothing");
        Assert.That(none.ExitCode, Is.EqualTo(0), none.Output);
    }
}
