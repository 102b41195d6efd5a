namespace SpectralGate.Engine.Metrics;

/// <summary>
/// Condition number σ_max/σ_min over the singular values above the numerical-rank floor (<see cref="NumericalRank"/>),
/// so an exactly rank-deficient matrix gives a finite number. NaN on a spectrum with no positive eigenvalue.
/// </summary>
public static class ConditionNumber
{
    /// <param name="eigenvaluesDescending">λ = σ², descending.</param>
    /// <param name="numericalRank">From <see cref="NumericalRank.Compute"/>: σ_min is the smallest of the first that many.</param>
    public static double Compute(ReadOnlySpan<double> eigenvaluesDescending, int numericalRank)
    {
        if (SpectrumSums.IsDegenerate(eigenvaluesDescending) || numericalRank <= 0) return double.NaN;
        int last = Math.Min(numericalRank, eigenvaluesDescending.Length) - 1;
        return Math.Sqrt(eigenvaluesDescending[0] / eigenvaluesDescending[last]);
    }
}
