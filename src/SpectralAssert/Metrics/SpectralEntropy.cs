namespace SpectralAssert.Metrics;

/// <summary>
/// WeightWatcher's <c>matrix_entropy</c>: the Shannon entropy of p = λ/Σλ divided by ln(rank), so 1 means a flat
/// spectrum over the numerical rank. Defined as 0 when the rank is 1 (WeightWatcher divides by ln 1.000001).
/// </summary>
public static class SpectralEntropy
{
    public static double Compute(ReadOnlySpan<double> eigenvalues, int numericalRank)
    {
        double total = Sum.Positive(eigenvalues);
        if (total <= 0) return double.NaN;
        if (numericalRank <= 1) return 0;
        double entropy = 0;
        foreach (double l in eigenvalues)
        {
            if (l <= 0) continue;
            double p = l / total;
            entropy -= p * Math.Log(p);
        }
        return entropy / Math.Log(numericalRank);
    }
}
