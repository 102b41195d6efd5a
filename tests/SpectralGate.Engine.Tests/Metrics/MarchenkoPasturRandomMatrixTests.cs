using SpectralGate.Engine.Metrics;
using TorchSharp;
using static TorchSharp.torch;

namespace SpectralGate.Engine.Tests.Metrics;

/// <summary>The MP fit on real random matrices: Gaussian noise, and noise with a planted rank-1 spike (BBP, metrics-reference §5).</summary>
[NonParallelizable]
public class MarchenkoPasturRandomMatrixTests
{
    private const int N = 2000, M = 500;

    /// <summary>λ = eigenvalues of WᵀW in float64, descending.</summary>
    private static double[] Eigenvalues(Tensor w)
    {
        using var scope = NewDisposeScope();
        var values = linalg.eigvalsh(w.T.matmul(w)).clamp_min(0).data<double>().ToArray();
        Array.Sort(values);
        Array.Reverse(values);
        return values;
    }

    private static double[] Spiked(double theta, long seed)
    {
        using var scope = NewDisposeScope();
        var generator = new Generator((ulong)seed);
        var g = randn(N, M, dtype: ScalarType.Float64, generator: generator);
        var u = randn(N, 1, dtype: ScalarType.Float64, generator: generator);
        var v = randn(M, 1, dtype: ScalarType.Float64, generator: generator);
        u /= u.norm();
        v /= v.norm();
        return Eigenvalues(g + theta * Math.Sqrt(N) * u.matmul(v.T));
    }

    [TestCase(MpSigmaEstimator.BulkTrimmedMean)]
    [TestCase(MpSigmaEstimator.WeightWatcherFit)]
    public void GaussianMatrixHasUnitSigmaAndNoSpike(MpSigmaEstimator estimator)
    {
        var eigenvalues = Spiked(0, 20251124);

        var fit = MarchenkoPastur.Fit(eigenvalues, N, M, estimator);

        Assert.That(fit, Is.Not.Null);
        Assert.That(fit!.Sigma, Is.EqualTo(1).Within(0.02));
        Assert.That(fit.NumSpikes, Is.Zero);
        Assert.That(fit.BulkMax, Is.EqualTo(N * 2.25).Within(0.05 * N * 2.25));
    }

    [TestCase(MpSigmaEstimator.BulkTrimmedMean)]
    [TestCase(MpSigmaEstimator.WeightWatcherFit)]
    public void SpikeAboveTheBbpThresholdIsCounted(MpSigmaEstimator estimator)
    {
        double theta = 2, gamma = (double)M / N;
        Assert.That(theta, Is.GreaterThan(Math.Pow(gamma, 0.25)), "above the BBP threshold Q^(−1/4)");
        double expectedTop = (1 + theta * theta) * (gamma + theta * theta) / (theta * theta);
        var eigenvalues = Spiked(theta, 7);

        var fit = MarchenkoPastur.Fit(eigenvalues, N, M, estimator);

        Assert.That(fit, Is.Not.Null);
        Assert.That(fit!.NumSpikes, Is.EqualTo(1));
        Assert.That(eigenvalues[0] / N, Is.EqualTo(expectedTop).Within(0.05 * expectedTop));
        Assert.That(fit.Sigma, Is.EqualTo(1).Within(0.02));
    }

    [Test]
    public void SpikeBelowTheBbpThresholdIsNotCounted()
    {
        double theta = 0.4;
        Assert.That(theta, Is.LessThan(Math.Pow((double)M / N, 0.25)), "below the BBP threshold Q^(−1/4)");
        var eigenvalues = Spiked(theta, 11);

        var fit = MarchenkoPastur.Fit(eigenvalues, N, M);

        Assert.That(fit, Is.Not.Null);
        Assert.That(fit!.NumSpikes, Is.Zero);
    }
}
