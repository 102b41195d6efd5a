using SpectralGate.Engine.Metrics;
using SpectralGate.Engine.Probes;

namespace SpectralGate.Engine.Tests.Probes;

public class TransitionAndMixerMetricsTests
{
    [Test]
    public void DiagonalDecaysInZeroOneHaveNoNegativeEigenvalue()
    {
        var m = TransitionSpectrum.OfDiagonal([[0.5, 0.9], [0.1, 0.99]]);

        Assert.That(m[ProbeMetricNames.NegativeEigenvalueShare], Is.EqualTo(0));
        Assert.That(m[ProbeMetricNames.TransitionMinEigenvalue], Is.EqualTo(0.1));
        Assert.That(m[ProbeMetricNames.SpectralRadius], Is.EqualTo(0.99));
    }

    [Test]
    public void SignedDecaysReportTheirNegativeShare()
    {
        var m = TransitionSpectrum.OfDiagonal([[-0.9, 0.5], [0.2, -0.3]]);

        Assert.That(m[ProbeMetricNames.NegativeEigenvalueShare], Is.EqualTo(0.5));
        Assert.That(m[ProbeMetricNames.SpectralRadius], Is.EqualTo(0.9));
        Assert.That(m[ProbeMetricNames.MaxStepSpectralNorm], Is.EqualTo(0.9));
    }

    [Test]
    public void HouseholderStepsHaveEigenvalueOneMinusBetaTimesTheSquaredNorm()
    {
        // k = (1, 1, 0)/√2 is a unit vector: eigenvalues 1, 1 and 1 − β; β = 1.5 gives −0.5, β = 0.5 gives 0.5.
        double s = 1 / Math.Sqrt(2);
        var m = TransitionSpectrum.OfHouseholder([(1.5, [s, s, 0]), (0.5, [s, s, 0])]);

        Assert.Multiple(() =>
        {
            Assert.That(m[ProbeMetricNames.TransitionMinEigenvalue], Is.EqualTo(-0.5).Within(1e-12));
            Assert.That(m[ProbeMetricNames.TransitionMaxEigenvalue], Is.EqualTo(1).Within(1e-12));
            Assert.That(m[ProbeMetricNames.NegativeEigenvalueShare], Is.EqualTo(1.0 / 6).Within(1e-12));
            Assert.That(m[ProbeMetricNames.MaxStepSpectralNorm], Is.EqualTo(1).Within(1e-12));
        });
    }

    private static double[,] Sinkhorn(double[,] m, int iterations = 200)
    {
        int n = m.GetLength(0);
        var x = (double[,])m.Clone();
        for (int it = 0; it < iterations; it++)
        {
            for (int i = 0; i < n; i++) { double r = 0; for (int j = 0; j < n; j++) r += x[i, j]; for (int j = 0; j < n; j++) x[i, j] /= r; }
            for (int j = 0; j < n; j++) { double c = 0; for (int i = 0; i < n; i++) c += x[i, j]; for (int i = 0; i < n; i++) x[i, j] /= c; }
        }
        return x;
    }

    [Test]
    public void ASinkhornNormalisedMixerIsDoublyStochastic()
    {
        var random = new Random(4);
        var raw = new double[4, 4];
        for (int i = 0; i < 4; i++) for (int j = 0; j < 4; j++) raw[i, j] = Math.Exp(random.NextDouble() * 2);
        var mixer = Sinkhorn(raw);
        double norm = new TorchSharpSpectralNorm().Of(mixer);

        var m = MixerMetrics.Of(mixer, norm);

        Assert.Multiple(() =>
        {
            Assert.That(m[ProbeMetricNames.RowSumError], Is.LessThan(1e-6));
            Assert.That(m[ProbeMetricNames.ColumnSumError], Is.LessThan(1e-12));
            Assert.That(m[ProbeMetricNames.MinEntry], Is.GreaterThan(0));
            // A doubly stochastic matrix has spectral norm exactly 1 (Birkhoff: a convex combination of permutations, with 1 as eigenvector).
            Assert.That(m[MetricNames.SpectralNorm], Is.EqualTo(1).Within(1e-6));
        });
    }

    [Test]
    public void APermutationIsOrthogonalAndIdentityIsAtDistanceZero()
    {
        var permutation = new double[,] { { 0, 1, 0 }, { 0, 0, 1 }, { 1, 0, 0 } };
        var identity = new double[,] { { 1, 0, 0 }, { 0, 1, 0 }, { 0, 0, 1 } };

        Assert.That(MixerMetrics.Of(permutation, 1)[ProbeMetricNames.OrthogonalityError], Is.EqualTo(0));
        Assert.That(MixerMetrics.Of(permutation, 1)[ProbeMetricNames.IdentityDistance], Is.EqualTo(Math.Sqrt(6)).Within(1e-12));
        Assert.That(MixerMetrics.Of(identity, 1)[ProbeMetricNames.IdentityDistance], Is.EqualTo(0));
    }

    [Test]
    public void AProductOfDoublyStochasticMixersApproachesUniform()
    {
        var random = new Random(6);
        var layers = Enumerable.Range(0, 30).Select(_ =>
        {
            var raw = new double[4, 4];
            for (int i = 0; i < 4; i++) for (int j = 0; j < 4; j++) raw[i, j] = Math.Exp(random.NextDouble());
            return Sinkhorn(raw);
        }).ToList();

        Assert.That(MixerMetrics.ProductUniformDistance(layers[..1]), Is.GreaterThan(MixerMetrics.ProductUniformDistance(layers)));
        Assert.That(MixerMetrics.ProductUniformDistance(layers), Is.LessThan(1e-6));
    }

    private sealed class TorchSharpSpectralNorm
    {
        public double Of(double[,] m)
        {
            int n = m.GetLength(0);
            using var t = TorchSharp.torch.tensor(m.Cast<double>().ToArray(), [n, n]);
            using var s = TorchSharp.torch.linalg.svdvals(t);
            return s[0].item<double>();
        }
    }
}
