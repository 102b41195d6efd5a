namespace SpectralGate.Engine.Metrics;

/// <summary>Frobenius norm ‖W‖_F = √Σλ = √Σσ² (metrics-reference §10). NaN on a spectrum with no positive eigenvalue.</summary>
public static class FrobeniusNorm
{
    public static double Compute(ReadOnlySpan<double> eigenvaluesDescending) =>
        SpectrumSums.IsDegenerate(eigenvaluesDescending) ? double.NaN : Math.Sqrt(SpectrumSums.Positive(eigenvaluesDescending));
}
