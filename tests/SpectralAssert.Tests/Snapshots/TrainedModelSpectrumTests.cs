using SpectralAssert.Assertions;
using SpectralGate.Engine.Baselines;
using SpectralGate.Engine.Matrices;
using SpectralGate.Engine.Signatures;
using SpectralGate.Engine.Runtime;
using SpectralGate.Engine.Snapshots;
using SpectralAssert.Snapshots;
using SpectralGate.Engine.Sources.TorchSharp;
using SpectralGate.Tests.Support;
using TorchSharp;
using static TorchSharp.torch;

namespace SpectralAssert.Tests.Snapshots;

/// <summary>
/// What a user writes: a tiny model trained in the test, spectral assertions on it, and its committed baseline;
/// then the two failures the baseline exists to catch, a re-initialised layer and a precision loss.
/// </summary>
[NonParallelizable]
public class TrainedModelSpectrumTests
{
    [Test]
    public void TrainedModelPassesItsSpectralAssertions()
    {
        var model = TinyModels.TrainedMlp;

        Assert.That(model, Spectrum.AllLayers.Are.Finite);
        Assert.That(model, Spectrum.Layers("fc*.weight").Alpha.Defined());
        Assert.That(model, Spectrum.LayersOfKind(LayerKind.Linear).StableRank.AtLeast(1.0));
        Assert.That(model, Spectrum.Layers("fc*.weight").Are.Not.RankCollapsed);
    }

    [Test]
    public void TrainedModelMatchesItsCommittedBaseline()
    {
        SpectralSnapshot.Verify(TinyModels.TrainedMlp);
    }

    [Test]
    public void AReinitialisedLayerFailsTheBaseline()
    {
        var model = TinyModels.Copy(TinyModels.TrainedMlp);
        using (no_grad())
        {
            torch.manual_seed(99);
            var fresh = nn.Linear(96, 64); // what a layer that was never loaded looks like
            model.named_parameters().Single(p => p.name == "fc2.weight").parameter.copy_(fresh.weight!);
        }

        string? failure = CheckAgainstCommittedBaseline(model);

        Assert.That(failure, Is.Not.Null);
        Assert.That(failure, Does.Contain("fc2.weight"));
        Assert.That(failure, Does.Not.Contain("fc1.weight  "), "only the re-initialised layer differs");
        var firstLines = failure!.Split('\n').Where(l => l.StartsWith("  layer '", StringComparison.Ordinal)).ToArray();
        Assert.That(firstLines, Has.Length.EqualTo(1), "one first line for the layer, its metrics below it");
        Assert.That(firstLines[0], Does.Match(@"^  layer 'fc2\.weight': \d+ metrics beyond tolerance, worst \w+ .* -> .*, [0-9.]+x over$"));
    }

    [Test]
    public void ACastToBFloat16AndBackFailsABaselineWithPrecisionTolerances()
    {
        // bf16 keeps 8 bits of mantissa: weights move by ~0.4%, spectra by ~1e-4 relative, far inside the default
        // tolerances. A team that gates on quantization damage tightens them; this is that policy.
        var precisionGate = new SnapshotSettings { Tolerances = new TolerancePolicy().For("*", 0, 1e-4) };
        var original = TinyModels.TrainedMlp;
        var cast = TinyModels.Copy(original);
        using (no_grad())
            foreach (var (_, p) in cast.named_parameters())
                p.copy_(p.to(ScalarType.BFloat16).to(ScalarType.Float32));
        string folder = TestPaths.NewScratchFolder();
        var paths = SnapshotPaths.For(folder, "Model", "Precision", []);
        SpectralSnapshot.Check(SpectralEngine.Compute(new ModuleSource(original)), paths, precisionGate, null);
        SnapshotAcceptance.Accept(paths.Received);

        string? unchanged = SpectralSnapshot.Check(SpectralEngine.Compute(new ModuleSource(original)), paths, precisionGate, null);
        string? failure = SpectralSnapshot.Check(SpectralEngine.Compute(new ModuleSource(cast)), paths, precisionGate, null);

        Assert.That(unchanged, Is.Null);
        Assert.That(failure, Does.Contain("Spectral signature differs").And.Contain("fc1.weight").And.Contain("alpha"));
    }

    [Test]
    public void TheSignatureIsByteIdenticalAcrossThreadCounts()
    {
        var model = TinyModels.TrainedMlp;
        int threads = torch.get_num_threads();
        try
        {
            torch.set_num_threads(1);
            byte[] one = SignatureJson.ToBytes(SpectralEngine.Compute(new ModuleSource(model)));
            torch.set_num_threads(2);
            byte[] two = SignatureJson.ToBytes(SpectralEngine.Compute(new ModuleSource(model)));
            torch.set_num_threads(3);
            byte[] three = SignatureJson.ToBytes(SpectralEngine.Compute(new ModuleSource(model)));

            Assert.That(two, Is.EqualTo(one));
            Assert.That(three, Is.EqualTo(one));
        }
        finally
        {
            torch.set_num_threads(threads);
        }
    }

    /// <summary>Compares with the baseline that <see cref="TrainedModelMatchesItsCommittedBaseline"/> verifies, without writing anything beside it.</summary>
    private static string? CheckAgainstCommittedBaseline(nn.Module model)
    {
        string folder = Path.Combine(TestPaths.RepositoryRoot, "tests", "SpectralAssert.Tests", "Snapshots");
        var committed = SnapshotPaths.For(folder, nameof(TrainedModelSpectrumTests), nameof(TrainedModelMatchesItsCommittedBaseline), []);
        Assert.That(committed.Verified, Does.Exist, "the committed baseline");
        string scratch = TestPaths.NewScratchFolder();
        File.Copy(committed.Verified, Path.Combine(scratch, Path.GetFileName(committed.Verified)));
        var paths = SnapshotPaths.For(scratch, nameof(TrainedModelSpectrumTests), nameof(TrainedModelMatchesItsCommittedBaseline), []);
        var signature = SpectralEngine.Compute(new ModuleSource(model, "module:Sequential"));
        return SpectralSnapshot.Check(signature, paths, new SnapshotSettings(), null);
    }
}
