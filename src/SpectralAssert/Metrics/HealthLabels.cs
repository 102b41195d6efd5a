namespace SpectralAssert.Metrics;

/// <summary>
/// Per-layer health labels and their thresholds. The alpha thresholds are WeightWatcher's
/// (<c>constants.py</c>: OVER_TRAINED_THRESH = 2, UNDER_TRAINED_THRESH = 6).
/// </summary>
public static class HealthLabels
{
    /// <summary>α &lt; 2: very heavy tail, possibly over-fit or correlation traps.</summary>
    public const string OverTrained = "over_trained";

    /// <summary>α &gt; 6: close to a random matrix, the layer has learned little.</summary>
    public const string UnderTrained = "under_trained";

    /// <summary>Numerical rank below half the smaller side, or stable rank below 1.05 (one direction carries everything).</summary>
    public const string RankCollapse = "rank_collapse";

    /// <summary>NaN or Inf in the weights: no metric is computed.</summary>
    public const string NonFinite = "non_finite";

    /// <summary>All-zero weights: no positive eigenvalue.</summary>
    public const string Degenerate = "degenerate";

    public const double OverTrainedAlpha = 2.0;
    public const double UnderTrainedAlpha = 6.0;
    public const double RankCollapseRankFraction = 0.5;
    public const double RankCollapseStableRank = 1.05;

    /// <summary>Rank collapse is judged only on matrices with at least this many eigenvalues.</summary>
    public const int RankCollapseMinDimension = 8;

    public static IReadOnlyList<string> Classify(double? alpha, double? numericalRank, double? stableRank, int smallerSide)
    {
        var labels = new List<string>();
        if (alpha is double a)
        {
            if (a < OverTrainedAlpha) labels.Add(OverTrained);
            if (a > UnderTrainedAlpha) labels.Add(UnderTrained);
        }
        if (smallerSide >= RankCollapseMinDimension
            && ((numericalRank is double r && r < RankCollapseRankFraction * smallerSide) || (stableRank is double s && s < RankCollapseStableRank)))
            labels.Add(RankCollapse);
        labels.Sort(StringComparer.Ordinal);
        return labels;
    }
}
