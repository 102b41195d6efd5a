namespace SpectralGate.Engine.Metrics;

/// <summary>
/// Numerical rank: the count of singular values above a floor proportional to σ_max·max(N, M)·ε, numpy's <c>matrix_rank</c>
/// convention (<see cref="NumericalRankConvention"/> moves the floor for Gram eigenvalues). ε is that of the compute type
/// (float64 2.22e-16, float32 1.19e-7). 0 on a spectrum with no positive eigenvalue.
/// </summary>
public static class NumericalRank
{
    public const double Float64Epsilon = 2.220446049250313e-16;
    public const double Float32Epsilon = 1.1920928955078125e-7;

    /// <summary>The floor on λ = σ² below which an eigenvalue is numerically zero.</summary>
    public static double EigenvalueFloor(ReadOnlySpan<double> eigenvaluesDescending, int n, int m, bool float32 = false,
        NumericalRankConvention convention = NumericalRankConvention.SingularValues)
    {
        if (SpectrumSums.IsDegenerate(eigenvaluesDescending)) return 0;
        double tolerance = Math.Max(n, m) * (float32 ? Float32Epsilon : Float64Epsilon);
        return convention == NumericalRankConvention.SingularValues
            ? eigenvaluesDescending[0] * tolerance * tolerance
            : eigenvaluesDescending[0] * tolerance;
    }

    /// <param name="eigenvaluesDescending">λ = σ², descending.</param>
    /// <param name="n">Rows of the matrix (or of each pooled matrix).</param>
    /// <param name="m">Columns of the matrix.</param>
    /// <param name="float32">True when the spectrum was computed in float32.</param>
    /// <param name="convention">How the eigenvalues were computed; numpy's SVD convention by default.</param>
    public static int Compute(ReadOnlySpan<double> eigenvaluesDescending, int n, int m, bool float32 = false,
        NumericalRankConvention convention = NumericalRankConvention.SingularValues)
    {
        if (SpectrumSums.IsDegenerate(eigenvaluesDescending)) return 0;
        double floor = EigenvalueFloor(eigenvaluesDescending, n, m, float32, convention);
        int rank = 0;
        foreach (double l in eigenvaluesDescending) if (l > floor) rank++;
        return rank;
    }
}
