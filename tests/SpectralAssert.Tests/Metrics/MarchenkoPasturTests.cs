using SpectralAssert.Metrics;
using SpectralAssert.Spectra;
using TorchSharp;
using static TorchSharp.torch;

namespace SpectralAssert.Tests.Metrics;

public class MarchenkoPasturTests
{
    [Test]
    public void EdgesAndDensityForQ4()
    {
        Assert.Multiple(() =>
        {
            Assert.That(MarchenkoPastur.EdgeUpper(1, 4), Is.EqualTo(2.25).Within(1e-15));
            Assert.That(MarchenkoPastur.EdgeLower(1, 4), Is.EqualTo(0.25).Within(1e-15));
            Assert.That(MarchenkoPastur.Density(1, 1, 4), Is.EqualTo(0.6164044441).Within(1e-10));
        });
    }

    [Test]
    public void DensityIntegratesToOneWithMeanSigmaSquared()
    {
        // Midpoint rule on [λ₋, λ₊] for σ² = 0.5, Q = 3.
        double sigma2 = 0.5, q = 3, lo = MarchenkoPastur.EdgeLower(sigma2, q), hi = MarchenkoPastur.EdgeUpper(sigma2, q);
        const int steps = 200_000;
        double h = (hi - lo) / steps, mass = 0, mean = 0;
        for (int i = 0; i < steps; i++)
        {
            double x = lo + (i + 0.5) * h;
            double rho = MarchenkoPastur.Density(x, sigma2, q);
            mass += rho * h;
            mean += x * rho * h;
        }

        Assert.That(mass, Is.EqualTo(1).Within(1e-4));
        Assert.That(mean, Is.EqualTo(sigma2).Within(1e-4));
    }

    private static double[] GaussianSpectrum(int n, int m, double sigma, double theta = 0, ulong seed = 21)
    {
        var g = new Generator(seed);
        var w = sigma * randn(n, m, dtype: ScalarType.Float64, generator: g);
        if (theta > 0)
        {
            var u = randn(n, 1, dtype: ScalarType.Float64, generator: g); u /= u.norm();
            var v = randn(1, m, dtype: ScalarType.Float64, generator: g); v /= v.norm();
            w += theta * Math.Sqrt(n) * u.matmul(v);
        }
        return GramSpectrum.Eigenvalues(w.unsqueeze(0));
    }

    [TestCase(MpSigmaEstimator.BulkTrimmedMean, 0.02)]
    [TestCase(MpSigmaEstimator.WeightWatcherFit, 0.05)]
    public void AGaussianMatrixHasItsEntryScaleAndNoSpikes(MpSigmaEstimator estimator, double relativeError)
    {
        var fit = MarchenkoPastur.Fit(GaussianSpectrum(2000, 500, 0.7), 2000, 500, estimator)!;

        Assert.That(fit.Sigma, Is.EqualTo(0.7).Within(relativeError * 100).Percent);
        Assert.That(fit.NumSpikes, Is.EqualTo(0));
    }

    [Test]
    public void APlantedSpikeAboveTheBbpThresholdIsOneSpikeAtItsPredictedPlace()
    {
        const int n = 2000, m = 500;
        double theta = 2, gamma = (double)m / n;
        double[] spectrum = GaussianSpectrum(n, m, 1, theta);

        var fit = MarchenkoPastur.Fit(spectrum, n, m, MpSigmaEstimator.BulkTrimmedMean)!;

        // Additive rank-1 (metrics-reference §5): the top eigenvalue of WᵀW/N goes to (1+θ²)(γ+θ²)/θ².
        Assert.That(fit.NumSpikes, Is.EqualTo(1));
        Assert.That(spectrum[0] / n, Is.EqualTo((1 + theta * theta) * (gamma + theta * theta) / (theta * theta)).Within(5).Percent);
    }

    [Test]
    public void ASpikeBelowTheThresholdStaysInTheBulk()
    {
        // Q^(-1/4) = 0.707 for Q = 4; θ = 0.4 is below.
        var fit = MarchenkoPastur.Fit(GaussianSpectrum(2000, 500, 1, 0.4), 2000, 500, MpSigmaEstimator.BulkTrimmedMean)!;

        Assert.That(fit.NumSpikes, Is.EqualTo(0));
    }

    [Test]
    public void TracyWidomScaleFollowsJohnstone()
    {
        // Johnstone (2001) with √n in place of √(n−1): s = (√n+√p)(1/√n+1/√p)^(1/3)/n for σ² = 1.
        double expected = (Math.Sqrt(2000) + Math.Sqrt(500)) * Math.Cbrt(1 / Math.Sqrt(2000) + 1 / Math.Sqrt(500)) / 2000;

        Assert.That(MarchenkoPastur.TracyWidomScale(1, 2000, 500), Is.EqualTo(expected).Within(1e-15));
        Assert.That(expected, Is.EqualTo(0.013627).Within(2e-5), "the √(n−1) form of the reference gives 0.013627");
    }
}
