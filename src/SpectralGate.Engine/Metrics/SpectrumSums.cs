namespace SpectralGate.Engine.Metrics;

/// <summary>Sums over a descending spectrum, smallest terms first so that the many small eigenvalues are not lost.</summary>
internal static class SpectrumSums
{
    /// <summary>Σλ over the positive entries.</summary>
    public static double Positive(ReadOnlySpan<double> descending)
    {
        double s = 0;
        for (int i = descending.Length - 1; i >= 0; i--) if (descending[i] > 0) s += descending[i];
        return s;
    }

    /// <summary>Σ√λ over the positive entries (the nuclear norm).</summary>
    public static double PositiveSqrt(ReadOnlySpan<double> descending)
    {
        double s = 0;
        for (int i = descending.Length - 1; i >= 0; i--) if (descending[i] > 0) s += Math.Sqrt(descending[i]);
        return s;
    }

    /// <summary>True when the spectrum has no positive eigenvalue (all-zero weights): every metric is undefined.</summary>
    public static bool IsDegenerate(ReadOnlySpan<double> descending) => descending.Length == 0 || !(descending[0] > 0);
}
