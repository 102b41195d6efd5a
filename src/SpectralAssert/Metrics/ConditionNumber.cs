namespace SpectralAssert.Metrics;

/// <summary>σ_max/σ_min over the singular values above the numerical-rank floor (<see cref="NumericalRank"/>).</summary>
public static class ConditionNumber
{
    public static double Compute(ReadOnlySpan<double> eigenvalues, int numericalRank) =>
        numericalRank <= 0 ? double.NaN : Math.Sqrt(eigenvalues[0] / eigenvalues[numericalRank - 1]);
}
