namespace SpectralGate.Engine.Metrics;

/// <summary>How <see cref="MarchenkoPastur.Fit"/> estimates the noise variance σ² of the Marchenko–Pastur bulk (metrics-reference §5).</summary>
public enum MpSigmaEstimator
{
    /// <summary>
    /// Default. σ² = mean of the normalised eigenvalues λ/N, recomputed after dropping those above the bulk edge λ₊(σ²) until
    /// nothing more is dropped (recommendation (b) of §5). The mean eigenvalue of WᵀW/N is the entry variance, so this is exact
    /// in expectation for pure noise; each drop lowers the mean, so the loop ends after at most M rounds.
    /// </summary>
    BulkTrimmedMean,

    /// <summary>
    /// WeightWatcher's <c>mp_fit</c> (<c>RMT_Util.fit_density_with_range</c>, <c>resid_mp</c>): scale so the mean eigenvalue is 1,
    /// brute-force σ over [0.05, 2)·σ₀ in steps of 0.01·σ₀ with σ₀ = √(λ_max/(1+1/√Q)²), minimising the squared residual between
    /// the MP density and a linear-kernel KDE (bandwidth 0.1) on 1000 points of [0, λ_max + 0.5] where the KDE is above 0.01;
    /// then map σ back to the original scale. For Q = 1 the quarter-circle law is fitted to the singular values.
    /// </summary>
    WeightWatcherFit,
}
