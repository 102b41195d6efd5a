namespace SpectralAssert.Metrics;

/// <summary>
/// Roy–Vetterli effective rank (2007): exp(H(p)) with p_k = σ_k/Σσ and 0·ln 0 = 0; 1 ≤ erank ≤ rank.
/// Test vector: σ = [3, 2, 1] gives 2.7494592740 (metrics-reference §2).
/// </summary>
public static class EffectiveRank
{
    public static double Compute(ReadOnlySpan<double> eigenvalues)
    {
        double total = 0;
        for (int i = eigenvalues.Length - 1; i >= 0; i--) if (eigenvalues[i] > 0) total += Math.Sqrt(eigenvalues[i]);
        if (total <= 0) return double.NaN;
        double entropy = 0;
        foreach (double l in eigenvalues)
        {
            if (l <= 0) continue;
            double p = Math.Sqrt(l) / total;
            entropy -= p * Math.Log(p);
        }
        return Math.Exp(entropy);
    }
}
