using SpectralGate.Engine.Baselines;
using SpectralGate.Tests.Support;

namespace SpectralGate.Cli.Tests;

/// <summary>Concurrent <c>check --accept</c> runs on one baseline leave one whole file (the writes are atomic).</summary>
public class ConcurrentAcceptTests
{
    [Test]
    public void ConcurrentCliAcceptsOfOneBaselineLeaveOneWholeFile()
    {
        string folder = TestPaths.NewScratchFolder();
        string model = Path.Combine(TestPaths.RepositoryRoot, "samples", "models", "bars-cnn.safetensors");
        string baseline = Path.Combine(folder, "bars.spectral.json");

        var runs = Enumerable.Range(0, 3).Select(_ => Task.Run(() => CliRunner.Run("check", model, "--baseline", baseline, "--accept", "--force"))).ToArray();
        Task.WaitAll(runs);

        Assert.That(runs.Select(r => r.Result.ExitCode), Is.All.EqualTo(0));
        var (signature, _) = BaselineFile.Read(baseline);
        Assert.That(signature.Layers, Has.Count.EqualTo(3));
        Assert.That(CliRunner.Run("check", model, "--baseline", baseline).ExitCode, Is.EqualTo(0));
        Assert.That(Directory.GetFiles(folder), Is.EqualTo(new[] { baseline }));
    }
}
