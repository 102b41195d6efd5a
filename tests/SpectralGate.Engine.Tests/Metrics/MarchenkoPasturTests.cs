using MathNet.Numerics;
using MathNet.Numerics.RootFinding;
using SpectralGate.Engine.Metrics;

namespace SpectralGate.Engine.Tests.Metrics;

public class MarchenkoPasturTests
{
    [Test]
    public void BulkEdgesForQFourAndUnitVariance()
    {
        // λ± = σ²(1 ± 1/√Q)² with Q = 4: (1 ± 1/2)².
        Assert.That(MarchenkoPastur.LambdaPlus(1, 4), Is.EqualTo(2.25).Within(1e-15));
        Assert.That(MarchenkoPastur.LambdaMinus(1, 4), Is.EqualTo(0.25).Within(1e-15));
    }

    [Test]
    public void DensityAtOneMatchesTheReferenceVector()
    {
        double expected = 4 / (2 * Math.PI) * Math.Sqrt((2.25 - 1) * (1 - 0.25));

        double density = MarchenkoPastur.MpDensity(1, 1, 4);

        Assert.That(density, Is.EqualTo(expected).Within(1e-15));
        Assert.That(density, Is.EqualTo(0.6164044441).Within(1e-10), "metrics-reference §5");
    }

    [TestCase(4.0, 1.0)]
    [TestCase(2.0, 0.3)]
    [TestCase(10.0, 2.5)]
    public void DensityIntegratesToOneWithMeanSigmaSquared(double q, double sigma2)
    {
        double lo = MarchenkoPastur.LambdaMinus(sigma2, q), hi = MarchenkoPastur.LambdaPlus(sigma2, q);

        double mass = Integrate.DoubleExponential(l => MarchenkoPastur.MpDensity(l, sigma2, q), lo, hi);
        double mean = Integrate.DoubleExponential(l => l * MarchenkoPastur.MpDensity(l, sigma2, q), lo, hi);

        Assert.That(mass, Is.EqualTo(1).Within(1e-8));
        Assert.That(mean, Is.EqualTo(sigma2).Within(1e-8));
    }

    [Test]
    public void DensityIsZeroOutsideTheBulk()
    {
        Assert.That(MarchenkoPastur.MpDensity(0.2, 1, 4), Is.Zero);
        Assert.That(MarchenkoPastur.MpDensity(2.3, 1, 4), Is.Zero);
    }

    [Test]
    public void TracyWidomScaleIsJohnstones()
    {
        double expected = (Math.Sqrt(2000) + Math.Sqrt(500)) * Math.Pow(1 / Math.Sqrt(2000) + 1 / Math.Sqrt(500), 1.0 / 3) / 2000;

        double scale = MarchenkoPastur.TracyWidomScale(1, 2000, 500);

        Assert.That(scale, Is.EqualTo(expected).Within(1e-15));
        Assert.That(scale, Is.EqualTo(0.013627).Within(2e-5), "metrics-reference §5 (with n − 1 in place of n)");
    }

    [Test]
    public void TrimmedMeanRecoversSigmaFromExactMpQuantiles()
    {
        // Eigenvalues of WᵀW for N = 4M at the MP quantiles of σ² = 0.49, plus two spikes far above the edge.
        const int m = 400, n = 1600;
        const double sigma2 = 0.49, q = 4;
        double lo = MarchenkoPastur.LambdaMinus(sigma2, q), hi = MarchenkoPastur.LambdaPlus(sigma2, q);
        var normalised = new List<double>();
        for (int k = 0; k < m - 2; k++)
        {
            double target = (k + 0.5) / (m - 2);
            normalised.Add(Brent.FindRoot(x => Integrate.DoubleExponential(l => MarchenkoPastur.MpDensity(l, sigma2, q), lo, x) - target, lo, hi, 1e-12));
        }
        normalised.Add(5 * hi);
        normalised.Add(8 * hi);
        var eigenvalues = normalised.Select(l => n * l).OrderDescending().ToArray();

        var fit = MarchenkoPastur.Fit(eigenvalues, n, m, MpSigmaEstimator.BulkTrimmedMean);

        Assert.That(fit, Is.Not.Null);
        Assert.That(fit!.Sigma, Is.EqualTo(Math.Sqrt(sigma2)).Within(0.005 * Math.Sqrt(sigma2)));
        Assert.That(fit.NumSpikes, Is.EqualTo(2));
        Assert.That(fit.BulkMax, Is.EqualTo(n * fit.Sigma * fit.Sigma * 2.25).Within(1e-9 * fit.BulkMax));
        Assert.That(fit.SoftRank, Is.EqualTo(fit.BulkMax / eigenvalues[0]).Within(1e-15));
    }

    [Test]
    public void AllZeroSpectrumHasNoFit()
    {
        Assert.That(MarchenkoPastur.Fit([0, 0, 0], 6, 3), Is.Null);
    }
}
