namespace SpectralGate.Engine.Trajectories;

/// <summary>
/// Metrics only a trajectory has: the update ΔW = W(step) − W(previous record) of a layer between two consecutive cheap
/// records (docs/training.md). The cheap tier's other metrics keep their signature names (<c>spectral_norm</c>,
/// <c>frobenius_norm</c>, <c>stable_rank</c>), as they measure the same quantity.
/// </summary>
public static class TrajectoryMetricNames
{
    /// <summary>σ_max(ΔW) since the previous record, by warm-started power iteration; null at the first record.</summary>
    public const string UpdateSpectralNorm = "update_spectral_norm";

    /// <summary>‖ΔW‖_F since the previous record; null at the first record.</summary>
    public const string UpdateFrobeniusNorm = "update_frobenius_norm";

    /// <summary>Every name above, sorted.</summary>
    public static IReadOnlyList<string> All { get; } = [UpdateFrobeniusNorm, UpdateSpectralNorm];
}
