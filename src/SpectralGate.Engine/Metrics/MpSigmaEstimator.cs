namespace SpectralGate.Engine.Metrics;

/// <summary>How <see cref="MarchenkoPastur.Fit"/> estimates the noise variance σ² of the Marchenko–Pastur bulk (metrics-reference §5).</summary>
public enum MpSigmaEstimator
{
    /// <summary>
    /// Default. σ² from the median nonzero eigenvalue and the MP quantile it sits at, with the effective aspect ratio of the
    /// nonzero part and one spike correction (<see cref="MarchenkoPasturMedian"/>): finite and positive on rank-deficient and
    /// low-rank layers, and never more than half of the nonzero eigenvalues called spikes.
    /// </summary>
    BulkMedian,

    /// <summary>
    /// The default before issue 15. σ² = mean of the normalised eigenvalues λ/N, recomputed after dropping those above the bulk edge λ₊(σ²) until
    /// nothing more is dropped (recommendation (b) of §5). The mean eigenvalue of WᵀW/N is the entry variance, so this is exact
    /// in expectation for pure noise; each drop lowers the mean, so the loop ends after at most M rounds.
    /// </summary>
    BulkTrimmedMean,

    /// <summary>
    /// WeightWatcher's <c>mp_fit</c>, its σ fit, bulk_max, spike margin and mp_softrank (<see cref="WeightWatcherMpFit"/>),
    /// including its square-layer <c>quarter_circle_fun</c>.
    /// </summary>
    WeightWatcherFit,
}
