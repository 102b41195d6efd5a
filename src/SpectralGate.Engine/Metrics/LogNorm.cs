namespace SpectralGate.Engine.Metrics;

/// <summary>log10 Σλ = log10 ‖W‖_F² (WeightWatcher <c>log_norm</c>). NaN on a spectrum with no positive eigenvalue.</summary>
public static class LogNorm
{
    public static double Compute(ReadOnlySpan<double> eigenvaluesDescending) =>
        SpectrumSums.IsDegenerate(eigenvaluesDescending) ? double.NaN : Math.Log10(SpectrumSums.Positive(eigenvaluesDescending));
}
