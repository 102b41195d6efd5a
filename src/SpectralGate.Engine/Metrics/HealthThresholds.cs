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

    /// <summary>
    /// α labels need at least this many tail eigenvalues: α's standard error (α − 1)/√n is then at most 0.14 at α = 2 and
    /// 0.71 at α = 6. Measured (docs/metrics.md): Gaussian, uniform and Kaiming layers up to 1024 × 1024 fit α anywhere in
    /// 2.9–15 on 8–113 tail eigenvalues, so an α from a short tail says nothing about training.
    /// </summary>
    public int AlphaMinTail { get; init; } = 50;

    /// <summary>
    /// α labels need the power law not rejected by the KS test at 5%: D ≤ this/√num_tail (1.36, the asymptotic critical value).
    /// </summary>
    public double AlphaKsCritical { get; init; } = 1.36;

    /// <summary>
    /// <c>random_like</c> when no eigenvalue leaves the Marchenko–Pastur bulk and mp_softrank is at least this. Measured: noise
    /// and Kaiming layers 64 × 64 to 4096 × 1024 give 0 spikes and mp_softrank 0.94–1.13; trained layers with a spike have
    /// mp_softrank at most 0.89.
    /// </summary>
    public double RandomLikeSoftRank { get; init; } = 0.9;

    public static HealthThresholds Default { get; } = new();
}
