using System.Globalization;

namespace SpectralGate.Engine.Metrics;

/// <summary>Settings of <see cref="SpectrumMetrics"/>; each one that changes a number is recorded in the signature.</summary>
public sealed record MetricOptions
{
    /// <summary>Eigenvalues at or below this are left out of the power-law fit (WeightWatcher EVALS_THRESH).</summary>
    public double PowerLawThreshold { get; init; } = 1e-5;

    /// <summary>Fewer eigenvalues above the threshold leave alpha undefined (WeightWatcher MIN_EVALS).</summary>
    public int PowerLawMinEigenvalues { get; init; } = 10;

    public PowerLawFixFingers PowerLawFixFingers { get; init; } = PowerLawFixFingers.None;

    public MpSigmaEstimator MpEstimator { get; init; } = MpSigmaEstimator.BulkMedian;

    /// <summary>
    /// Gram eigenvalues by default: SpectralGate's engine computes λ with <c>eigvalsh</c> of WᵀW, whose round-off puts zero
    /// singular values far above numpy's SVD floor (<see cref="NumericalRankConvention"/>).
    /// </summary>
    public NumericalRankConvention RankConvention { get; init; } = NumericalRankConvention.GramEigenvalues;

    public HealthThresholds Health { get; init; } = HealthThresholds.Default;

    /// <summary>The power-law part of these settings.</summary>
    public PowerLawOptions PowerLaw => new() { Threshold = PowerLawThreshold, MinEigenvalues = PowerLawMinEigenvalues, FixFingers = PowerLawFixFingers };

    /// <summary>
    /// Settings for the signature. Those added after format 1 appear only when they differ from their default, so that
    /// existing baselines stay comparable.
    /// </summary>
    public IEnumerable<KeyValuePair<string, string>> Describe()
    {
        var health = Health;
        var defaults = HealthThresholds.Default;
        if (health.OverTrainedAlpha != defaults.OverTrainedAlpha || health.UnderTrainedAlpha != defaults.UnderTrainedAlpha
            || health.RankCollapseRankFraction != defaults.RankCollapseRankFraction || health.RankCollapseStableRank != defaults.RankCollapseStableRank
            || health.RankCollapseMinDimension != defaults.RankCollapseMinDimension)
            yield return new("health_thresholds", string.Create(CultureInfo.InvariantCulture,
                $"alpha=[{health.OverTrainedAlpha:R},{health.UnderTrainedAlpha:R}],rank_fraction={health.RankCollapseRankFraction:R},stable_rank={health.RankCollapseStableRank:R},min_dim={health.RankCollapseMinDimension}"));
        if (health.AlphaMinTail != defaults.AlphaMinTail || health.AlphaKsCritical != defaults.AlphaKsCritical
            || health.RandomLikeSoftRank != defaults.RandomLikeSoftRank)
            yield return new("health_judging", string.Create(CultureInfo.InvariantCulture,
                $"alpha_min_tail={health.AlphaMinTail},alpha_ks_critical={health.AlphaKsCritical:R},random_like_softrank={health.RandomLikeSoftRank:R}"));
        yield return new("mp_estimator", MpEstimator switch
        {
            MpSigmaEstimator.BulkMedian => "bulk_median",
            MpSigmaEstimator.BulkTrimmedMean => "bulk_trimmed_mean",
            _ => "weightwatcher_fit",
        });
        if (PowerLawFixFingers != PowerLawFixFingers.None) yield return new("power_law_fix_fingers", "xmin_peak");
        yield return new("power_law_min_eigenvalues", PowerLawMinEigenvalues.ToString(CultureInfo.InvariantCulture));
        yield return new("power_law_threshold", PowerLawThreshold.ToString("R", CultureInfo.InvariantCulture));
        if (RankConvention != NumericalRankConvention.GramEigenvalues) yield return new("rank_convention", "singular_values");
    }
}
