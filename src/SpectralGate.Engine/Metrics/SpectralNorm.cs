namespace SpectralGate.Engine.Metrics;

/// <summary>
/// Spectral norm σ_max = √λ_max, the operator 2-norm (metrics-reference §10; WeightWatcher's <c>spectral_norm</c>
/// column is λ_max itself, see <see cref="LogSpectralNorm"/>). NaN on a spectrum with no positive eigenvalue.
/// </summary>
public static class SpectralNorm
{
    public static double Compute(ReadOnlySpan<double> eigenvaluesDescending) =>
        SpectrumSums.IsDegenerate(eigenvaluesDescending) ? double.NaN : Math.Sqrt(eigenvaluesDescending[0]);
}
