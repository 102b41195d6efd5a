namespace SpectralGate.Engine.Metrics;

/// <summary>
/// Roy–Vetterli effective rank (EUSIPCO 2007): exp(H(p)) with p_k = σ_k/Σσ, σ = √λ, 0·ln 0 = 0, no ε; 1 ≤ erank ≤ rank.
/// Test vector: σ = [3, 2, 1] gives 2.7494592740 (metrics-reference §2). NaN on a spectrum with no positive eigenvalue.
/// </summary>
public static class EffectiveRank
{
    public static double Compute(ReadOnlySpan<double> eigenvaluesDescending)
    {
        if (SpectrumSums.IsDegenerate(eigenvaluesDescending)) return double.NaN;
        double total = SpectrumSums.PositiveSqrt(eigenvaluesDescending);
        double entropy = 0;
        for (int i = eigenvaluesDescending.Length - 1; i >= 0; i--)
        {
            if (!(eigenvaluesDescending[i] > 0)) continue;
            double p = Math.Sqrt(eigenvaluesDescending[i]) / total;
            entropy -= p * Math.Log(p);
        }
        return Math.Exp(entropy);
    }
}
