namespace SpectralGate.Engine.Metrics;

/// <summary>Thresholds of the <see cref="HealthLabels"/>; the α ones are WeightWatcher's (<c>constants.py</c>).</summary>
public sealed class HealthThresholds
{
    /// <summary><c>over_trained</c> when α &lt; this (WeightWatcher OVER_TRAINED_THRESH = 2).</summary>
    public double OverTrainedAlpha { get; init; } = 2.0;

    /// <summary><c>under_trained</c> when α &gt; this (WeightWatcher UNDER_TRAINED_THRESH = 6).</summary>
    public double UnderTrainedAlpha { get; init; } = 6.0;

    /// <summary><c>rank_collapse</c> when the numerical rank is below this fraction of the eigenvalue count (min(N, M) per matrix).</summary>
    public double RankCollapseRankFraction { get; init; } = 0.5;

    /// <summary><c>rank_collapse</c> when the stable rank is below this: one direction carries almost all the energy.</summary>
    public double RankCollapseStableRank { get; init; } = 1.05;

    /// <summary>Rank collapse is judged only when min(N, M) is at least this: a 2 × 2 matrix of rank 1 says little.</summary>
    public int RankCollapseMinDimension { get; init; } = 8;

    public static HealthThresholds Default { get; } = new();
}
