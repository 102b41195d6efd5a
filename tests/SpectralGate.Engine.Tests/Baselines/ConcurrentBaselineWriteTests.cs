using SpectralGate.Engine.Baselines;
using SpectralGate.Engine.Signatures;
using SpectralGate.Tests.Support;
using static SpectralGate.Tests.Support.TestSignatures;

namespace SpectralGate.Engine.Tests.Baselines;

/// <summary>Writers racing on one baseline never leave a partial or mixed file: every read sees one whole version.</summary>
public class ConcurrentBaselineWriteTests
{
    [Test]
    public void ConcurrentWritersAndAReaderOnlyEverSeeWholeFiles()
    {
        string path = Path.Combine(TestPaths.NewScratchFolder(), "model.spectral.json");
        var versions = Enumerable.Range(0, 4)
            .Select(v => BaselineFile.ToBytes(Of(Enumerable.Range(0, 200).Select(i => Layer($"layers.{i}.w", [64, 64], ("alpha", v + i / 1000.0))).ToArray()), new TolerancePolicy()))
            .ToArray();
        File.WriteAllBytes(path, versions[0]);
        using var stop = new CancellationTokenSource();
        using var readerRunning = new ManualResetEventSlim();
        int reads = 0;

        // Dedicated threads: on a loaded 2-core machine pool tasks may otherwise run one after the other.
        var reader = Task.Factory.StartNew(() =>
        {
            readerRunning.Set();
            while (!stop.IsCancellationRequested || reads < 20)
            {
                byte[] seen = File.ReadAllBytes(path);
                Assert.That(versions.Any(v => v.AsSpan().SequenceEqual(seen)), Is.True, "a read saw a file that is no complete version");
                Interlocked.Increment(ref reads);
            }
        }, TaskCreationOptions.LongRunning);
        readerRunning.Wait();
        var writers = Enumerable.Range(0, 4).Select(w => Task.Factory.StartNew(() =>
        {
            for (int i = 0; i < 50; i++) BaselineFile.Write(path, SignatureJson.Parse("v", versions[w]), new TolerancePolicy());
        }, TaskCreationOptions.LongRunning)).ToArray();
        Task.WaitAll(writers);
        stop.Cancel();
        reader.Wait();

        Assert.That(reads, Is.GreaterThan(0));
        Assert.That(Directory.GetFiles(Path.GetDirectoryName(path)!), Is.EqualTo(new[] { path }), "no temporary file is left behind");
    }

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
