using SpectralGate.Tests.Support;
using SpectralGate.Engine.Deltas;
using SpectralGate.Engine.Sources.Safetensors;
using SpectralGate.Engine.Spectra;
using static TorchSharp.torch;

namespace SpectralGate.Engine.Tests.Deltas;

public class SketchedDeltaTests
{
    // Smaller sides 300 and 32: with exact_up_to = 64 the first is sketched, the second exact. Block 16 × 8 steps span a
    // 128-dimensional Krylov space of the 300-wide Gram.
    private static readonly SketchOptions Sketch = new() { ExactUpTo = 64 };

    private static readonly double[] Top = [50, 45, 40, 35, 30, 25, 20, 15];

    private static readonly double[] Planted = [5, 3, 2, 1];

    /// <summary>W = U·diag(50, 45, …, 15)·Vᵀ plus a 0.1-Gaussian bulk (σ ≤ 0.1·(√400 + √300) ≈ 3.7): the top 8 stand apart.</summary>
    private static Tensor Base() =>
        (DeltaFixtures.Orthonormal(400, 8, seed: 21) * tensor(Top).unsqueeze(0)).matmul(DeltaFixtures.Orthonormal(300, 8, seed: 22).t())
        + 0.1 * DeltaFixtures.Gaussian(400, 300, seed: 23);

    /// <summary>ΔW = U·diag(5, 3, 2, 1)·Vᵀ, orthonormal U (400×4) and V (300×4): exactly rank 4, σ = 5, 3, 2, 1.</summary>
    private static Tensor RankFour() =>
        (DeltaFixtures.Orthonormal(400, 4, seed: 24) * tensor(Planted).unsqueeze(0)).matmul(DeltaFixtures.Orthonormal(300, 4, seed: 25).t());

    private static (DeltaSignature Exact, DeltaSignature Sketched) Deltas()
    {
        Tensor wBase = Base(), small = DeltaFixtures.Gaussian(48, 32, seed: 26);
        string basePath = DeltaFixtures.Checkpoint(("big.weight", wBase), ("small.weight", small));
        string tunedPath = DeltaFixtures.Checkpoint(("big.weight", wBase + RankFour()), ("small.weight", small + 0.01 * DeltaFixtures.Gaussian(48, 32, seed: 27)));
        using var baseSource = new SafetensorsFileSource(basePath);
        using var tuned = new SafetensorsFileSource(tunedPath);
        return (DeltaEngine.Compute(baseSource, tuned), DeltaEngine.Compute(baseSource, tuned, new DeltaOptions { Sketch = Sketch }));
    }

    [Test]
    public void APlantedRankFourUpdateGivesRankFourAndItsSingularValuesWhenSketched()
    {
        // A rank-4 ΔW: the Krylov space of its Gram holds its whole range after one block, so the Ritz values are σ², exactly.
        var layer = Deltas().Sketched.Layer("big.weight")!;
        double sumSquares = Planted.Sum(s => s * s);
        double entropy = -Planted.Sum(s => s / Planted.Sum() * Math.Log(s / Planted.Sum()));

        Assert.Multiple(() =>
        {
            Assert.That(layer[DeltaMetricNames.NumericalRank], Is.EqualTo(4));
            Assert.That(layer[DeltaMetricNames.SpectralNorm], Is.EqualTo(5).Within(1e-9));
            Assert.That(layer[DeltaMetricNames.FrobeniusNorm], Is.EqualTo(Math.Sqrt(sumSquares)).Within(1e-9));
            Assert.That(layer[DeltaMetricNames.StableRank], Is.EqualTo(sumSquares / 25).Within(1e-9));
            Assert.That(layer[DeltaMetricNames.EffectiveRank], Is.EqualTo(Math.Exp(entropy)).Within(1e-9));
        });
    }

    [Test]
    public void TheSketchedDeltaAgreesWithTheExactOneOnAClosedCase()
    {
        var (exact, sketched) = Deltas();
        var e = exact.Layer("big.weight")!;
        var s = sketched.Layer("big.weight")!;
        // ‖W_base‖_F² from the run's exact trace and ‖ΔW‖_F from its spectrum: relative_change to round-off. The top 8
        // directions are separated by gaps of 5 against a bulk below 3.7, so after 8 blocks their Ritz vectors agree with
        // the exact singular vectors far below 1e-6.
        Assert.Multiple(() =>
        {
            Assert.That(s[DeltaMetricNames.RelativeChange], Is.EqualTo(e[DeltaMetricNames.RelativeChange]!.Value).Within(1e-10 * e[DeltaMetricNames.RelativeChange]!.Value));
            Assert.That(s[DeltaMetricNames.StableRank], Is.EqualTo(e[DeltaMetricNames.StableRank]!.Value).Within(1e-9));
            Assert.That(s[DeltaMetricNames.SubspaceOverlap], Is.EqualTo(e[DeltaMetricNames.SubspaceOverlap]!.Value).Within(1e-6));
            Assert.That(sketched.Layer("small.weight")!.Metrics, Is.EqualTo(exact.Layer("small.weight")!.Metrics), "a layer within exact_up_to is exact");
            Assert.That(sketched.Settings["sketch"], Is.EqualTo(Sketch.Describe()));
            Assert.That(exact.Settings.ContainsKey("sketch"), Is.False);
        });
    }
}
