namespace SpectralAssert.Metrics;

// Metrics of a spectrum λ = σ² (descending, ≥ 0; WeightWatcher's convention, no 1/N). Each is one line of definition
// and its source; all return NaN on a spectrum with no positive eigenvalue (the engine labels it 'degenerate').

/// <summary>σ_max = √λ_max (the operator 2-norm).</summary>
public static class SpectralNorm
{
    public static double Compute(ReadOnlySpan<double> eigenvalues) => eigenvalues.Length == 0 || eigenvalues[0] <= 0 ? double.NaN : Math.Sqrt(eigenvalues[0]);
}

/// <summary>‖W‖_F = √Σλ.</summary>
public static class FrobeniusNorm
{
    public static double Compute(ReadOnlySpan<double> eigenvalues) => Sum.Positive(eigenvalues) is var s && s > 0 ? Math.Sqrt(s) : double.NaN;
}

/// <summary>Stable rank ‖W‖_F²/‖W‖₂² = Σλ/λ_max (WeightWatcher <c>stable_rank</c>; metrics-reference §10).</summary>
public static class StableRank
{
    public static double Compute(ReadOnlySpan<double> eigenvalues) =>
        eigenvalues.Length == 0 || eigenvalues[0] <= 0 ? double.NaN : Sum.Positive(eigenvalues) / eigenvalues[0];
}

/// <summary>log10 λ_max (WeightWatcher <c>log_spectral_norm</c>).</summary>
public static class LogSpectralNorm
{
    public static double Compute(ReadOnlySpan<double> eigenvalues) => eigenvalues.Length == 0 || eigenvalues[0] <= 0 ? double.NaN : Math.Log10(eigenvalues[0]);
}

/// <summary>log10 Σλ = log10 ‖W‖_F² (WeightWatcher <c>log_norm</c>).</summary>
public static class LogNorm
{
    public static double Compute(ReadOnlySpan<double> eigenvalues) => Sum.Positive(eigenvalues) is var s && s > 0 ? Math.Log10(s) : double.NaN;
}

internal static class Sum
{
    /// <summary>Σ of the positive entries, summed smallest first for accuracy.</summary>
    public static double Positive(ReadOnlySpan<double> descending)
    {
        double s = 0;
        for (int i = descending.Length - 1; i >= 0; i--) if (descending[i] > 0) s += descending[i];
        return s;
    }
}
