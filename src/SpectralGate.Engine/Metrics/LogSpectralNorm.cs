namespace SpectralGate.Engine.Metrics;

/// <summary>log10 λ_max = 2·log10 σ_max (WeightWatcher <c>log_spectral_norm</c>). NaN on a spectrum with no positive eigenvalue.</summary>
public static class LogSpectralNorm
{
    public static double Compute(ReadOnlySpan<double> eigenvaluesDescending) =>
        SpectrumSums.IsDegenerate(eigenvaluesDescending) ? double.NaN : Math.Log10(eigenvaluesDescending[0]);
}
