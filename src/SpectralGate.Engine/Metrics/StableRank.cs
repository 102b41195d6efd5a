namespace SpectralGate.Engine.Metrics;

/// <summary>
/// Stable rank ‖W‖_F²/‖W‖₂² = Σλ/λ_max ∈ [1, rank] (WeightWatcher <c>stable_rank</c>, FARMS; metrics-reference §10).
/// NaN on a spectrum with no positive eigenvalue.
/// </summary>
public static class StableRank
{
    public static double Compute(ReadOnlySpan<double> eigenvaluesDescending) =>
        SpectrumSums.IsDegenerate(eigenvaluesDescending) ? double.NaN : SpectrumSums.Positive(eigenvaluesDescending) / eigenvaluesDescending[0];
}
