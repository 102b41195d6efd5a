using SpectralGate.Engine.Metrics;

namespace SpectralGate.Engine.Tests.Metrics;

public class SpectrumMetricsTests
{
    /// <summary>A heavy-tailed spectrum of 300 eigenvalues: Pareto quantiles with α = 2.5 on top of a flat bulk.</summary>
    private static double[] HeavyTailed() =>
        Enumerable.Range(1, 300).Select(i => Math.Pow(1 - (i - 0.5) / 300, -1 / 1.5) + 0.3 * (i % 7))
            .OrderDescending().ToArray();

    [Test]
    public void EveryMetricIsPresentAndAlphaFarmsIsLeftToTheEngine()
    {
        var result = SpectrumMetrics.Compute(HeavyTailed(), 600, 300, new MetricOptions());

        Assert.That(result.Values.Keys, Is.EquivalentTo(SpectrumMetrics.Names));
        Assert.That(result.Values.Keys, Does.Not.Contain(MetricNames.AlphaFarms));
        Assert.That(result.Values.Values, Has.All.Not.Null);
        Assert.That(result.Values.Keys, Is.Ordered.Using((IComparer<string>)StringComparer.Ordinal));
    }

    [Test]
    public void Diag321()
    {
        var result = SpectrumMetrics.Compute([9, 4, 1], 3, 3, new MetricOptions());

        Assert.That(result.Values[MetricNames.SpectralNorm], Is.EqualTo(3).Within(1e-15));
        Assert.That(result.Values[MetricNames.FrobeniusNorm], Is.EqualTo(Math.Sqrt(14)).Within(1e-15));
        Assert.That(result.Values[MetricNames.StableRank], Is.EqualTo(14.0 / 9).Within(1e-15));
        Assert.That(result.Values[MetricNames.EffectiveRank], Is.EqualTo(2.7494592740).Within(1e-10));
        Assert.That(result.Values[MetricNames.ConditionNumber], Is.EqualTo(3).Within(1e-15));
        Assert.That(result.Values[MetricNames.NumericalRank], Is.EqualTo(3));
        Assert.That(result.Values[MetricNames.Alpha], Is.Null, "fewer than 10 eigenvalues");
        Assert.That(result.Values[MetricNames.AlphaWeighted], Is.Null);
        Assert.That(result.Values[MetricNames.NumTail], Is.Null);
        Assert.That(result.Labels, Is.Empty);
    }

    [Test]
    public void AlphaWeightedAndFitMatchThePowerLawFit()
    {
        var eigenvalues = HeavyTailed();
        var fit = PowerLawFit.Fit(eigenvalues)!;

        var result = SpectrumMetrics.Compute(eigenvalues, 600, 300, new MetricOptions());

        Assert.That(result.Values[MetricNames.Alpha], Is.EqualTo(fit.Alpha));
        Assert.That(result.Values[MetricNames.Xmin], Is.EqualTo(fit.Xmin));
        Assert.That(result.Values[MetricNames.NumTail], Is.EqualTo(fit.NumTail));
        Assert.That(result.Values[MetricNames.AlphaWeighted], Is.EqualTo(fit.Alpha * Math.Log10(eigenvalues[0])).Within(1e-12));
    }

    [TestCase(new double[] { 0, 0, 0, 0 })]
    [TestCase(new double[0])]
    public void AllZeroSpectrumIsDegenerate(double[] eigenvalues)
    {
        var result = SpectrumMetrics.Compute(eigenvalues, 4, 4, new MetricOptions());

        Assert.That(result.Labels, Is.EqualTo(new[] { HealthLabels.Degenerate }));
        Assert.That(result.Values[MetricNames.NumericalRank], Is.Zero);
        Assert.That(result.Values.Where(kv => kv.Key != MetricNames.NumericalRank).Select(kv => kv.Value), Has.All.Null);
    }

    [Test]
    public void NonFiniteWeightsGiveNoMetrics()
    {
        var result = SpectrumMetrics.Compute(HeavyTailed(), 600, 300, new MetricOptions(), nonFinite: true);

        Assert.That(result.Labels, Is.EqualTo(new[] { HealthLabels.NonFinite }));
        Assert.That(result.Values.Values, Has.All.Null);
    }

    [Test]
    public void ShapeIsOrientedSoThatNIsTheLargerSide()
    {
        var eigenvalues = HeavyTailed();

        var tall = SpectrumMetrics.Compute(eigenvalues, 600, 300, new MetricOptions());
        var wide = SpectrumMetrics.Compute(eigenvalues, 300, 600, new MetricOptions());

        Assert.That(wide.Values, Is.EqualTo(tall.Values));
    }

    [Test]
    public void ScaleInvariantMetricsDoNotMoveWhenWIsScaled()
    {
        // W → cW multiplies every λ by c².
        var eigenvalues = HeavyTailed();
        var scaled = eigenvalues.Select(l => 49 * l).ToArray();

        var before = SpectrumMetrics.Compute(eigenvalues, 600, 300, new MetricOptions()).Values;
        var after = SpectrumMetrics.Compute(scaled, 600, 300, new MetricOptions()).Values;

        foreach (string name in new[] { MetricNames.Alpha, MetricNames.StableRank, MetricNames.EffectiveRank, MetricNames.SpectralEntropy,
                     MetricNames.NumericalRank, MetricNames.ConditionNumber, MetricNames.KsDistance, MetricNames.NumSpikes, MetricNames.MpSoftRank })
            Assert.That(after[name], Is.EqualTo(before[name]!.Value).Within(1e-9 * Math.Abs(before[name]!.Value)), name);
        Assert.That(after[MetricNames.SpectralNorm], Is.EqualTo(7 * before[MetricNames.SpectralNorm]!.Value).Within(1e-12 * after[MetricNames.SpectralNorm]!.Value));
        Assert.That(after[MetricNames.MpSigma], Is.EqualTo(7 * before[MetricNames.MpSigma]!.Value).Within(1e-9 * after[MetricNames.MpSigma]!.Value));
    }

    [Test]
    public void NewSettingsAreDescribedOnlyWhenNotDefault()
    {
        var defaults = new MetricOptions().Describe().Select(kv => kv.Key);
        var changed = new MetricOptions
        {
            PowerLawFixFingers = PowerLawFixFingers.XminPeak,
            RankConvention = NumericalRankConvention.SingularValues,
            Health = new HealthThresholds { UnderTrainedAlpha = 5 },
        }.Describe().Select(kv => kv.Key);

        Assert.That(defaults, Is.EqualTo(new[] { "mp_estimator", "power_law_min_eigenvalues", "power_law_threshold" }));
        Assert.That(changed, Is.SupersetOf(new[] { "health_thresholds", "power_law_fix_fingers", "rank_convention" }));
    }
}
