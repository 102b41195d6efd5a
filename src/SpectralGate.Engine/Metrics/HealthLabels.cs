namespace SpectralGate.Engine.Metrics;

/// <summary>
/// Per-layer health labels, judged from the metrics with <see cref="HealthThresholds"/>: α outside WeightWatcher's [2, 6]
/// (Martin &amp; Mahoney; <c>constants.py</c>) where the fit has the power to say so, an ESD indistinguishable from
/// Marchenko–Pastur noise, rank collapse, and the two states in which no metric is defined.
/// </summary>
public static class HealthLabels
{
    /// <summary>α &lt; 2: very heavy tail, possibly over-fit or correlation traps.</summary>
    public const string OverTrained = "over_trained";

    /// <summary>α &gt; 6: close to a random matrix, the layer has learned little.</summary>
    public const string UnderTrained = "under_trained";

    /// <summary>No spike above the Marchenko–Pastur bulk and mp_softrank ≈ 1: the spectrum of noise, whatever α says.</summary>
    public const string RandomLike = "random_like";

    /// <summary>
    /// Informational, not a health problem: too few tail eigenvalues, or a power law the KS test rejects, so the α labels
    /// (<see cref="OverTrained"/>, <see cref="UnderTrained"/>) are not judged: not enough spectrum to judge.
    /// </summary>
    public const string AlphaNotJudged = "alpha_not_judged";

    /// <summary>Numerical rank below half the eigenvalue count, or stable rank below 1.05, on a matrix with min(N, M) ≥ 8.</summary>
    public const string RankCollapse = "rank_collapse";

    /// <summary>
    /// With correlation traps on: the element-shuffled matrix still has an eigenvalue beyond its Marchenko–Pastur edge
    /// (<see cref="CorrelationTraps.NumRandSpikes"/> ≥ <see cref="CorrelationTraps.TrapSpikes"/>), made by a few large elements.
    /// </summary>
    public const string CorrelationTrap = "correlation_trap";

    /// <summary>NaN or Inf in the weights (reported by the engine): no metric is computed.</summary>
    public const string NonFinite = "non_finite";

    /// <summary>No positive eigenvalue (all-zero weights): no metric is defined.</summary>
    public const string Degenerate = "degenerate";

    /// <summary>Labels that describe the analysis rather than the layer: a layer with only these is healthy.</summary>
    public static IReadOnlyList<string> Informational { get; } = [AlphaNotJudged];

    /// <summary>True when no label other than an <see cref="Informational"/> one is present.</summary>
    public static bool AreHealthy(IEnumerable<string> labels) => labels.All(Informational.Contains);

    /// <summary>The labels implied by the metrics, sorted ordinally.</summary>
    /// <param name="metrics">The layer's metrics by <see cref="MetricNames"/> key (alpha, num_tail, ks_distance, num_spikes, mp_softrank).</param>
    /// <param name="numericalRank">Numerical rank of the (pooled) spectrum.</param>
    /// <param name="stableRank">Stable rank, or null when undefined.</param>
    /// <param name="eigenvalueCount">Eigenvalues in the spectrum (min(N, M) per pooled matrix).</param>
    /// <param name="smallerSide">min(N, M) of one matrix.</param>
    /// <param name="thresholds">Null for the defaults.</param>
    public static IReadOnlyList<string> Classify(IReadOnlyDictionary<string, double?> metrics, int numericalRank, double? stableRank,
        int eigenvalueCount, int smallerSide, HealthThresholds? thresholds = null)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        thresholds ??= HealthThresholds.Default;
        double? Get(string key) => metrics.TryGetValue(key, out var v) ? v : null;
        var labels = new List<string>();
        if (Get(MetricNames.Alpha) is double a && Get(MetricNames.NumTail) is double tail && Get(MetricNames.KsDistance) is double ks
            && tail >= thresholds.AlphaMinTail && ks <= thresholds.AlphaKsCritical / Math.Sqrt(tail))
        {
            if (a < thresholds.OverTrainedAlpha) labels.Add(OverTrained);
            if (a > thresholds.UnderTrainedAlpha) labels.Add(UnderTrained);
        }
        else labels.Add(AlphaNotJudged);
        // Like rank collapse, not judged on tiny matrices, whose few eigenvalues fit any bulk.
        if (smallerSide >= thresholds.RankCollapseMinDimension && Get(MetricNames.NumSpikes) == 0 && Get(MetricNames.MpSoftRank) is double softRank && softRank >= thresholds.RandomLikeSoftRank)
            labels.Add(RandomLike);
        if (smallerSide >= thresholds.RankCollapseMinDimension
            && (numericalRank < thresholds.RankCollapseRankFraction * eigenvalueCount
                || (stableRank is double s && s < thresholds.RankCollapseStableRank)))
            labels.Add(RankCollapse);
        labels.Sort(StringComparer.Ordinal);
        return labels;
    }
}
