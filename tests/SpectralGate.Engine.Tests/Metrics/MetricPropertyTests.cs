using CsCheck;
using SpectralGate.Engine.Metrics;
using SpectralGate.Engine.Spectra;
using TorchSharp;
using static TorchSharp.torch;

namespace SpectralGate.Engine.Tests.Metrics;

/// <summary>
/// Properties that hold for every matrix (CsCheck draws shapes, seeds and scales; a failure shrinks to the smallest
/// counterexample): invariance under scaling, transposition and row permutation, and the bounds of the ranks and the
/// entropy; float32 and float64 agree within documented tolerances.
/// </summary>
public class MetricPropertyTests
{
    private static readonly Gen<(int Rows, int Cols, ulong Seed)> Matrices =
        Gen.Select(Gen.Int[12, 64], Gen.Int[12, 64], Gen.ULong);

    private static Tensor Heavy(int rows, int cols, ulong seed)
    {
        var g = new Generator(seed);
        return randn(rows, cols, dtype: ScalarType.Float64, generator: g) / (rand(rows, cols, dtype: ScalarType.Float64, generator: g) + 0.2);
    }

    private static SpectrumMetricsResult Metrics(Tensor w, bool float32 = false)
    {
        double[] ev = GramSpectrum.Eigenvalues((float32 ? w.to(ScalarType.Float32) : w).unsqueeze(0));
        return SpectrumMetrics.Compute(ev, (int)Math.Max(w.shape[0], w.shape[1]), (int)Math.Min(w.shape[0], w.shape[1]), new MetricOptions(), float32);
    }

    private static readonly string[] ShapeMetrics =
        [MetricNames.Alpha, MetricNames.StableRank, MetricNames.EffectiveRank, MetricNames.SpectralEntropy, MetricNames.ConditionNumber, MetricNames.NumericalRank, MetricNames.MpSoftRank];

    private static void AssertClose(SpectrumMetricsResult a, SpectrumMetricsResult b, IEnumerable<string> metrics, double relative)
    {
        foreach (string m in metrics)
        {
            if (a.Values[m] is double x && b.Values[m] is double y)
                Assert.That(y, Is.EqualTo(x).Within(relative * Math.Max(1, Math.Abs(x))), m);
            else
                Assert.That(b.Values[m], Is.EqualTo(a.Values[m]), m);
        }
    }

    [Test]
    public void ScalingTheMatrixLeavesShapeMetricsUnchanged()
    {
        Gen.Select(Matrices, Gen.Double[0.01, 100]).Sample(t =>
        {
            var ((rows, cols, seed), c) = t;
            var w = Heavy(rows, cols, seed);
            AssertClose(Metrics(w), Metrics(w * c), ShapeMetrics, 1e-6);
        }, iter: 25);
    }

    [Test]
    public void TransposingOrPermutingRowsLeavesEveryMetricUnchanged()
    {
        Matrices.Sample(t =>
        {
            var (rows, cols, seed) = t;
            var w = Heavy(rows, cols, seed);
            var permuted = w[randperm(rows, generator: new Generator(seed + 1))];
            var original = Metrics(w);
            AssertClose(original, Metrics(w.t().contiguous()), original.Values.Keys, 1e-6);
            AssertClose(original, Metrics(permuted), original.Values.Keys, 1e-6);
        }, iter: 25);
    }

    [Test]
    public void RanksAndEntropyStayInTheirBounds()
    {
        Matrices.Sample(t =>
        {
            var (rows, cols, seed) = t;
            var m = Metrics(Heavy(rows, cols, seed)).Values;
            double rank = m[MetricNames.NumericalRank]!.Value;
            Assert.That(rank, Is.InRange(1, Math.Min(rows, cols)));
            Assert.That(m[MetricNames.EffectiveRank], Is.InRange(1 - 1e-9, rank + 1e-9));
            Assert.That(m[MetricNames.StableRank], Is.InRange(1 - 1e-9, rank + 1e-9));
            Assert.That(m[MetricNames.SpectralEntropy], Is.InRange(0, 1 + 1e-9));
        }, iter: 40);
    }

    [Test]
    public void Float32AndFloat64Agree()
    {
        // Documented: heavy-tail and norm metrics within 0.5% in float32; the bottom of the spectrum is not compared.
        Matrices.Sample(t =>
        {
            var (rows, cols, seed) = t;
            var w = Heavy(rows, cols, seed);
            AssertClose(Metrics(w), Metrics(w, float32: true), [MetricNames.SpectralNorm, MetricNames.FrobeniusNorm, MetricNames.StableRank, MetricNames.EffectiveRank], 5e-3);
        }, iter: 25);
    }
}
