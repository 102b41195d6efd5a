namespace SpectralGate.Engine.Metrics;

/// <summary>Metric names: the same word in code, JSON keys and docs (<c>StableRank</c> / <c>stable_rank</c>).</summary>
public static class MetricNames
{
    /// <summary>σ_max (<see cref="Metrics.SpectralNorm"/>).</summary>
    public const string SpectralNorm = "spectral_norm";
    /// <summary>√Σλ (<see cref="Metrics.FrobeniusNorm"/>).</summary>
    public const string FrobeniusNorm = "frobenius_norm";
    /// <summary>‖ΔW‖_F, the Frobenius norm of the change since the previous record; recorded by the training monitor (docs/training.md).</summary>
    public const string UpdateFrobeniusNorm = "update_frobenius_norm";
    /// <summary>Σλ/λ_max (<see cref="Metrics.StableRank"/>).</summary>
    public const string StableRank = "stable_rank";
    /// <summary>Roy–Vetterli exp H(σ/Σσ) (<see cref="Metrics.EffectiveRank"/>).</summary>
    public const string EffectiveRank = "effective_rank";
    /// <summary>Singular values above the rank floor (<see cref="Metrics.NumericalRank"/>).</summary>
    public const string NumericalRank = "numerical_rank";
    /// <summary>H(λ/Σλ)/ln rank (<see cref="Metrics.SpectralEntropy"/>).</summary>
    public const string SpectralEntropy = "spectral_entropy";
    /// <summary>σ_max/σ_min above the rank floor (<see cref="Metrics.ConditionNumber"/>).</summary>
    public const string ConditionNumber = "condition_number";
    /// <summary>log10 λ_max (<see cref="Metrics.LogSpectralNorm"/>).</summary>
    public const string LogSpectralNorm = "log_spectral_norm";
    /// <summary>log10 Σλ (<see cref="Metrics.LogNorm"/>).</summary>
    public const string LogNorm = "log_norm";
    /// <summary>Power-law exponent (<see cref="PowerLawFit"/>).</summary>
    public const string Alpha = "alpha";
    /// <summary>Start of the power-law tail.</summary>
    public const string Xmin = "xmin";
    /// <summary>KS distance of the power-law fit.</summary>
    public const string KsDistance = "ks_distance";
    /// <summary>(α − 1)/√n.</summary>
    public const string AlphaStdErr = "alpha_std_err";
    /// <summary>Eigenvalues in the power-law tail.</summary>
    public const string NumTail = "num_tail";
    /// <summary>α·log10 λ_max (<see cref="Metrics.AlphaWeighted"/>).</summary>
    public const string AlphaWeighted = "alpha_weighted";
    /// <summary>α of the pooled FARMS windows (<c>Spectra/FarmsWindows</c>); added by the engine.</summary>
    public const string AlphaFarms = "alpha_farms";
    /// <summary>KS distance between the baseline's and the actual ESD (<see cref="Metrics.EsdDistance"/>); a comparison's, not a layer's.</summary>
    public const string EsdDistance = "esd_distance";
    /// <summary>σ̂ of the entries of W (<see cref="MarchenkoPastur"/>).</summary>
    public const string MpSigma = "mp_sigma";
    /// <summary>N·λ₊, the MP bulk edge in λ units.</summary>
    public const string MpBulkMax = "mp_bulk_max";
    /// <summary>Eigenvalues above the bulk edge plus the Tracy–Widom margin.</summary>
    public const string NumSpikes = "num_spikes";
    /// <summary>mp_bulk_max/λ_max.</summary>
    public const string MpSoftRank = "mp_softrank";
    /// <summary>‖ΔW‖₂, the spectral norm of the change since the previous record; recorded by the training monitor (docs/training.md).</summary>
    public const string UpdateSpectralNorm = "update_spectral_norm";
}
