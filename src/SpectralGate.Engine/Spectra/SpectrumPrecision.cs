namespace SpectralGate.Engine.Spectra;

/// <summary>Floating type of the Gram matrix and its eigenvalues.</summary>
public enum SpectrumPrecision
{
    /// <summary>
    /// Default. The Gram matrix squares the condition number, so float64 is what keeps the small eigenvalues
    /// (condition number, numerical rank, MP bulk) meaningful down to σ/σ_max ≈ 1e-7.
    /// </summary>
    Float64,

    /// <summary>About twice as fast on CPU; safe for the heavy-tail and norm metrics, coarse below σ/σ_max ≈ 1e-3.</summary>
    Float32,
}
