namespace SpectralGate.Engine.Deltas;

/// <summary>The JSON keys of a layer's delta metrics (ΔW = W_tuned − W_base); the same words in code, JSON and docs/fine-tuning.md.</summary>
public static class DeltaMetricNames
{
    /// <summary>‖ΔW‖_F / ‖W_base‖_F.</summary>
    public const string RelativeChange = "relative_change";

    public const string FrobeniusNorm = "delta_frobenius_norm";

    /// <summary>σ_max(ΔW).</summary>
    public const string SpectralNorm = "delta_spectral_norm";

    /// <summary>‖ΔW‖_F² / ‖ΔW‖₂².</summary>
    public const string StableRank = "delta_stable_rank";

    /// <summary>Roy–Vetterli effective rank of ΔW.</summary>
    public const string EffectiveRank = "delta_effective_rank";

    /// <summary>Count of singular values of ΔW above the numerical-rank floor.</summary>
    public const string NumericalRank = "delta_numerical_rank";

    /// <summary>√(fan_out / fan_in) of a <c>[out, in]</c> weight: the μP spectral scale of an update (Yang, Simon, Bernstein 2023).</summary>
    public const string MupScale = "mup_scale";

    /// <summary>‖ΔW‖₂ / √(fan_out / fan_in): about 1 or below for a μP-sized step, far above for an update that blew up.</summary>
    public const string SpectralNormMup = "delta_spectral_norm_mup";

    /// <summary>cos of the largest principal angle between the top-k right singular subspaces of W_base and W_tuned (1 = same subspace).</summary>
    public const string SubspaceOverlap = "subspace_overlap";

    /// <summary>The largest principal angle of those subspaces, in degrees (0 = aligned, 90 = a direction lost).</summary>
    public const string SubspaceMaxAngle = "subspace_max_angle_deg";

    public const string AlphaBase = "alpha_base";

    public const string AlphaTuned = "alpha_tuned";

    /// <summary>alpha_tuned − alpha_base.</summary>
    public const string AlphaChange = "alpha_change";
}
