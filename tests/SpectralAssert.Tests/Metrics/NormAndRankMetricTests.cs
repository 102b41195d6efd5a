using SpectralAssert.Metrics;

namespace SpectralAssert.Tests.Metrics;

/// <summary>diag(3, 2, 1): σ = [3, 2, 1], λ = [9, 4, 1]; every expected value is worked out here from the definitions.</summary>
public class NormAndRankMetricTests
{
    private static readonly double[] Lambda = [9, 4, 1];

    [Test]
    public void NormsOfDiag321()
    {
        Assert.Multiple(() =>
        {
            Assert.That(SpectralNorm.Compute(Lambda), Is.EqualTo(3).Within(1e-15));
            Assert.That(FrobeniusNorm.Compute(Lambda), Is.EqualTo(Math.Sqrt(14)).Within(1e-15));
            Assert.That(StableRank.Compute(Lambda), Is.EqualTo(14.0 / 9).Within(1e-15));
            Assert.That(StableRank.Compute(Lambda), Is.EqualTo(1.5555555556).Within(1e-10), "metrics-reference §10 test vector");
            Assert.That(LogSpectralNorm.Compute(Lambda), Is.EqualTo(Math.Log10(9)).Within(1e-15));
            Assert.That(LogNorm.Compute(Lambda), Is.EqualTo(Math.Log10(14)).Within(1e-15));
        });
    }

    [Test]
    public void EffectiveRankIsRoyVetterli()
    {
        double[] p = [3 / 6.0, 2 / 6.0, 1 / 6.0];
        double expected = Math.Exp(-p.Sum(x => x * Math.Log(x)));

        Assert.That(EffectiveRank.Compute(Lambda), Is.EqualTo(expected).Within(1e-12));
        Assert.That(EffectiveRank.Compute(Lambda), Is.EqualTo(2.7494592740).Within(1e-10), "metrics-reference §2 test vector");
    }

    [Test]
    public void SpectralEntropyIsNormalisedByTheLogOfTheRank()
    {
        double[] p = [9 / 14.0, 4 / 14.0, 1 / 14.0];
        double expected = -p.Sum(x => x * Math.Log(x)) / Math.Log(3);

        Assert.That(SpectralEntropy.Compute(Lambda, 3), Is.EqualTo(expected).Within(1e-12));
        Assert.That(SpectralEntropy.Compute([5, 5, 5, 5], 4), Is.EqualTo(1).Within(1e-12));
        Assert.That(SpectralEntropy.Compute([5, 0, 0], 1), Is.EqualTo(0));
    }

    [Test]
    public void ConditionNumberAndNumericalRank()
    {
        Assert.That(ConditionNumber.Compute(Lambda, 3), Is.EqualTo(3).Within(1e-15));
        // λ = 1e-20 relative to λ_max = 1 is below the float64 floor max(N,M)·ε ≈ 6.7e-16 for a 3 x 3 matrix.
        Assert.That(NumericalRank.Compute([1, 1e-3, 1e-20], 3, 3, float32: false), Is.EqualTo(2));
        // The float32 floor is 3·1.19e-7: 1e-7 is noise there.
        Assert.That(NumericalRank.Compute([1, 1e-3, 1e-7], 3, 3, float32: true), Is.EqualTo(2));
        Assert.That(NumericalRank.Compute([1, 1e-3, 1e-7], 3, 3, float32: false), Is.EqualTo(3));
    }

    [Test]
    public void FlatSpectrumHasFullRanks()
    {
        double[] flat = Enumerable.Repeat(2.0, 16).ToArray();

        Assert.Multiple(() =>
        {
            Assert.That(StableRank.Compute(flat), Is.EqualTo(16).Within(1e-12));
            Assert.That(EffectiveRank.Compute(flat), Is.EqualTo(16).Within(1e-12));
            Assert.That(ConditionNumber.Compute(flat, 16), Is.EqualTo(1));
        });
    }

    [Test]
    public void AllZeroSpectrumIsDegenerate()
    {
        var result = SpectrumMetrics.Compute(new double[8], 16, 8, new MetricOptions());

        Assert.That(result.Labels, Is.EqualTo(new[] { HealthLabels.Degenerate }));
        Assert.That(result.Values[MetricNames.SpectralNorm], Is.Null);
        Assert.That(result.Values[MetricNames.NumericalRank], Is.EqualTo(0));
    }

    [TestCase(1.99, new[] { "over_trained" })]
    [TestCase(2.0, new string[0])]
    [TestCase(6.0, new string[0])]
    [TestCase(6.01, new[] { "under_trained" })]
    public void AlphaLabelsAtTheirThresholds(double alpha, string[] labels)
    {
        Assert.That(HealthLabels.Classify(alpha, 16, 5, 16), Is.EqualTo(labels));
    }

    [Test]
    public void RankCollapseLabel()
    {
        Assert.Multiple(() =>
        {
            Assert.That(HealthLabels.Classify(3, 7, 5, 16), Does.Contain(HealthLabels.RankCollapse), "rank 7 < 16/2");
            Assert.That(HealthLabels.Classify(3, 16, 1.01, 16), Does.Contain(HealthLabels.RankCollapse), "stable rank < 1.05");
            Assert.That(HealthLabels.Classify(3, 8, 5, 16), Is.Empty);
            Assert.That(HealthLabels.Classify(3, 1, 1, 4), Is.Empty, "too small to judge");
        });
    }

    [Test]
    public void ScaleInvarianceOfTheShapeMetrics()
    {
        var random = new Random(12);
        double[] lambda = Enumerable.Range(0, 300).Select(_ => Math.Pow(random.NextDouble(), -1.5)).OrderDescending().ToArray();
        var baseResult = SpectrumMetrics.Compute(lambda, 600, 300, new MetricOptions());
        // Scales that keep every eigenvalue above the fit's absolute 1e-5 threshold (λ ≥ 1 here).
        foreach (double c in new[] { 0.01, 0.5, 7.0, 1e4 })
        {
            var scaled = SpectrumMetrics.Compute(lambda.Select(l => l * c * c).ToArray(), 600, 300, new MetricOptions());
            foreach (string metric in new[] { MetricNames.Alpha, MetricNames.KsDistance, MetricNames.StableRank, MetricNames.EffectiveRank, MetricNames.SpectralEntropy, MetricNames.ConditionNumber, MetricNames.NumSpikes, MetricNames.MpSoftRank })
                Assert.That(scaled.Values[metric], Is.EqualTo(baseResult.Values[metric]!.Value).Within(1e-9).Percent, $"{metric} at c = {c}");
        }
    }
}
