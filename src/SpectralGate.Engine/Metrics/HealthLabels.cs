namespace SpectralGate.Engine.Metrics;

/// <summary>
/// Per-layer health labels, judged from the metrics with <see cref="HealthThresholds"/>: α outside WeightWatcher's [2, 6]
/// (Martin &amp; Mahoney; <c>constants.py</c>), rank collapse, and the two states in which no metric is defined.
/// </summary>
public static class HealthLabels
{
    /// <summary>α &lt; 2: very heavy tail, possibly over-fit or correlation traps.</summary>
    public const string OverTrained = "over_trained";

    /// <summary>α &gt; 6: close to a random matrix, the layer has learned little.</summary>
    public const string UnderTrained = "under_trained";

    /// <summary>Numerical rank below half the eigenvalue count, or stable rank below 1.05, on a matrix with min(N, M) ≥ 8.</summary>
    public const string RankCollapse = "rank_collapse";

    /// <summary>NaN or Inf in the weights (reported by the engine): no metric is computed.</summary>
    public const string NonFinite = "non_finite";

    /// <summary>No positive eigenvalue (all-zero weights): no metric is defined.</summary>
    public const string Degenerate = "degenerate";

    /// <summary>The labels implied by the metrics, sorted ordinally.</summary>
    /// <param name="alpha">α, or null when undefined.</param>
    /// <param name="numericalRank">Numerical rank of the (pooled) spectrum.</param>
    /// <param name="stableRank">Stable rank, or null when undefined.</param>
    /// <param name="eigenvalueCount">Eigenvalues in the spectrum (min(N, M) per pooled matrix).</param>
    /// <param name="smallerSide">min(N, M) of one matrix.</param>
    /// <param name="thresholds">Null for the defaults.</param>
    public static IReadOnlyList<string> Classify(double? alpha, int numericalRank, double? stableRank, int eigenvalueCount, int smallerSide,
        HealthThresholds? thresholds = null)
    {
        thresholds ??= HealthThresholds.Default;
        var labels = new List<string>();
        if (alpha is double a)
        {
            if (a < thresholds.OverTrainedAlpha) labels.Add(OverTrained);
            if (a > thresholds.UnderTrainedAlpha) labels.Add(UnderTrained);
        }
        if (smallerSide >= thresholds.RankCollapseMinDimension
            && (numericalRank < thresholds.RankCollapseRankFraction * eigenvalueCount
                || (stableRank is double s && s < thresholds.RankCollapseStableRank)))
            labels.Add(RankCollapse);
        labels.Sort(StringComparer.Ordinal);
        return labels;
    }
}
