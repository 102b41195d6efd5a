using SpectralGate.Tests.Support;
using SpectralGate.Engine.Metrics;
using SpectralGate.Engine.Spectra;
using TorchSharp;
using static TorchSharp.torch;

namespace SpectralGate.Engine.Tests.Spectra;

/// <summary>The sketched spectrum against spectra known in closed form (planted with random orthogonal factors).</summary>
public class LanczosQuadratureSpectrumTests
{
    [Test]
    public void APowerLawSpectrumKeepsItsTopItsTraceAndItsExponent()
    {
        // λ_i = xmin·(r/(i-½))^(1/(α-1)) with α = 3: a pure power law, so the planted α is the answer.
        double[] lambda = PlantedSpectra.PowerLaw(1024, alpha: 3, xmin: 1);
        using var w = PlantedSpectra.Matrix(lambda, rows: 1536, seed: 1);

        double[] sketched = LanczosQuadratureSpectrum.Eigenvalues(w, new SketchOptions { BlockSize = 32, Steps = 4 }, "w");

        Assert.That(sketched, Has.Length.EqualTo(1024));
        Assert.That(sketched, Is.Ordered.Descending);
        Assert.That(sketched[0], Is.EqualTo(lambda[0]).Within(1e-3).Percent, "λ_max converges");
        Assert.That(sketched.Take(5), Is.EqualTo(lambda.Take(5)).Within(0.1).Percent, "the top five converge");
        Assert.That(sketched.Take(20), Is.EqualTo(lambda.Take(20)).Within(2).Percent, "the next are quadrature nodes");
        Assert.That(sketched.Sum(), Is.EqualTo(lambda.Sum()).Within(1e-3).Percent, "Σλ is ‖W‖²_F, exact");
        Assert.That(StableRank.Compute(sketched), Is.EqualTo(lambda.Sum() / lambda[0]).Within(0.01).Percent);
        Assert.That(EffectiveRank.Compute(sketched), Is.EqualTo(EffectiveRankOf(lambda)).Within(2).Percent);
        Assert.That(PowerLawFit.Fit(sketched)!.Alpha, Is.EqualTo(3).Within(0.3));
    }

    [Test]
    public void ASpectrumOfThreeRepeatedValuesIsRecoveredValueByValue()
    {
        // 100 × 9, 200 × 4, 300 × 1: the Krylov space is invariant after three blocks, every Ritz value is exact and the
        // repeated values are counted by the quadrature weights (Hutchinson noise: a few percent of each count).
        double[] lambda = [.. Enumerable.Repeat(9.0, 100), .. Enumerable.Repeat(4.0, 200), .. Enumerable.Repeat(1.0, 300)];
        using var w = PlantedSpectra.Matrix(lambda, rows: 900, seed: 2);

        double[] sketched = LanczosQuadratureSpectrum.Eigenvalues(w, new SketchOptions { BlockSize = 16, Steps = 4 }, "w");

        Assert.That(sketched[0], Is.EqualTo(9).Within(1e-3));
        Assert.That(sketched[^1], Is.EqualTo(1).Within(1).Percent);
        Assert.That(sketched.Sum(), Is.EqualTo(2000).Within(3).Percent);
        Assert.That(sketched.Count(l => l > 8.5), Is.InRange(85, 115));
        Assert.That(sketched.Count(l => l < 1.5), Is.InRange(270, 330));
    }

    [Test]
    public void ARankFiveMatrixHasFiveEigenvaluesAndZeros()
    {
        double[] lambda = [.. new[] { 50.0, 20, 10, 5, 2 }, .. Enumerable.Repeat(0.0, 595)];
        using var w = PlantedSpectra.Matrix(lambda, rows: 800, seed: 3, ScalarType.Float64);

        double[] sketched = LanczosQuadratureSpectrum.Eigenvalues(w, new SketchOptions(), "w");

        Assert.That(sketched.Take(5), Is.EqualTo(new[] { 50.0, 20, 10, 5, 2 }).Within(1e-6).Percent);
        Assert.That(sketched.Skip(5).Max(), Is.LessThan(1e-9));
        Assert.That(NumericalRank.Compute(sketched, 800, 600, float32: false, NumericalRankConvention.GramEigenvalues), Is.EqualTo(5));
    }

    // The delta's planted update (issue 18), U·diag(5, 3, 2, 1)·Vᵀ: the quadrature read the probe weights' noise as mass
    // and spread eleven more eigenvalues below the four; an invariant Krylov space holding the whole trace is the whole range.
    [Test]
    public void ARankFourMatrixHasExactlyFourEigenvalues()
    {
        using var w = (DeltaFixtures.Orthonormal(400, 4, seed: 24) * tensor(new[] { 5.0, 3, 2, 1 }).unsqueeze(0)).matmul(DeltaFixtures.Orthonormal(300, 4, seed: 25).t());

        double[] sketched = LanczosQuadratureSpectrum.Eigenvalues(w, new SketchOptions(), "big.weight");

        Assert.That(sketched.Take(4), Is.EqualTo(new[] { 25.0, 9, 4, 1 }).Within(1e-6).Percent);
        Assert.That(sketched.Skip(4).Max(), Is.LessThan(1e-9));
        Assert.That(NumericalRank.Compute(sketched, 400, 300, float32: false, NumericalRankConvention.GramEigenvalues), Is.EqualTo(4));
    }

    [Test]
    public void TheSameLayerGivesTheSameSpectrumAndTheProbesFollowTheName()
    {
        using var w = PlantedSpectra.Matrix(PlantedSpectra.PowerLaw(600, 2.5, 1), rows: 700, seed: 4);
        var options = new SketchOptions { BlockSize = 8, Steps = 3 };

        double[] first = LanczosQuadratureSpectrum.Eigenvalues(w, options, "blocks.0.fc1.weight");
        double[] again = LanczosQuadratureSpectrum.Eigenvalues(w, options, "blocks.0.fc1.weight");
        double[] other = LanczosQuadratureSpectrum.Eigenvalues(w, options, "blocks.1.fc1.weight");

        Assert.That(again, Is.EqualTo(first));
        Assert.That(other, Is.Not.EqualTo(first));
    }

    [Test]
    public void WideMatricesUseTheSmallerGram()
    {
        double[] lambda = PlantedSpectra.PowerLaw(600, 3, 1);
        using var tall = PlantedSpectra.Matrix(lambda, rows: 1000, seed: 5);
        using var wide = tall.t().contiguous();

        double[] sketched = LanczosQuadratureSpectrum.Eigenvalues(wide, new SketchOptions(), "w");

        Assert.That(sketched, Has.Length.EqualTo(600));
        Assert.That(sketched[0], Is.EqualTo(lambda[0]).Within(1e-3).Percent);
    }

    [Test]
    public void WeightsNearTheFloatRangeDoNotOverflow()
    {
        double[] lambda = PlantedSpectra.PowerLaw(600, 3, 1);
        using var w = PlantedSpectra.Matrix(lambda, rows: 700, seed: 6) * 1e30f;

        double[] sketched = LanczosQuadratureSpectrum.Eigenvalues(w, new SketchOptions(), "w");

        Assert.That(sketched[0], Is.EqualTo(lambda[0] * 1e60).Within(1e-3).Percent);
    }

    private static double EffectiveRankOf(double[] lambda)
    {
        // Roy and Vetterli: exp of the entropy of σ_i/Σσ.
        double[] sigma = lambda.Select(Math.Sqrt).ToArray();
        double total = sigma.Sum();
        return Math.Exp(-sigma.Select(s => s / total).Where(p => p > 0).Sum(p => p * Math.Log(p)));
    }
}
