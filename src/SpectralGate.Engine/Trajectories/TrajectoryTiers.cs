namespace SpectralGate.Engine.Trajectories;

/// <summary>The two cost tiers of a trajectory record (docs/training.md).</summary>
public static class TrajectoryTiers
{
    /// <summary>The full signature of every selected layer (exact or sketched, as the settings say).</summary>
    public const string Full = "full";

    /// <summary>Only what costs a few matrix-vector products: norms, spectral norm by warm-started power iteration, stable rank, update norms.</summary>
    public const string Cheap = "cheap";
}
