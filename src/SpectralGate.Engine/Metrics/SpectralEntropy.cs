namespace SpectralGate.Engine.Metrics;

/// <summary>
/// Normalised spectral entropy, WeightWatcher's <c>matrix_entropy</c>: H(p)/ln(rank) with p = λ/Σλ and rank the numerical
/// rank (<see cref="NumericalRank"/>), so 1 is a flat spectrum. Defined as 0 when rank ≤ 1 (WeightWatcher divides by
/// ln 1.000001 there; one direction carries everything). NaN on a spectrum with no positive eigenvalue.
/// </summary>
public static class SpectralEntropy
{
    public static double Compute(ReadOnlySpan<double> eigenvaluesDescending, int numericalRank)
    {
        if (SpectrumSums.IsDegenerate(eigenvaluesDescending)) return double.NaN;
        if (numericalRank <= 1) return 0;
        double total = SpectrumSums.Positive(eigenvaluesDescending);
        double entropy = 0;
        for (int i = eigenvaluesDescending.Length - 1; i >= 0; i--)
        {
            if (!(eigenvaluesDescending[i] > 0)) continue;
            double p = eigenvaluesDescending[i] / total;
            entropy -= p * Math.Log(p);
        }
        return entropy / Math.Log(numericalRank);
    }
}
