namespace SpectralAssert.Metrics;

/// <summary>
/// Number of eigenvalues above the noise floor of the Gram route: λ &gt; λ_max · max(N, M) · ε. numpy's
/// <c>matrix_rank</c> puts the floor at σ_max·max(N,M)·ε on singular values, but eigenvalues of WᵀW carry an absolute
/// error of about ε·λ_max, so the floor is taken on λ (σ &gt; σ_max·√(max(N,M)·ε)); ε is that of the compute type.
/// </summary>
public static class NumericalRank
{
    public const double Float64Epsilon = 2.220446049250313e-16;
    public const double Float32Epsilon = 1.1920929e-7;

    public static double Threshold(ReadOnlySpan<double> eigenvalues, int n, int m, bool float32) =>
        eigenvalues.Length == 0 ? 0 : eigenvalues[0] * Math.Max(n, m) * (float32 ? Float32Epsilon : Float64Epsilon);

    public static int Compute(ReadOnlySpan<double> eigenvalues, int n, int m, bool float32)
    {
        if (eigenvalues.Length == 0 || eigenvalues[0] <= 0) return 0;
        double floor = Threshold(eigenvalues, n, m, float32);
        int rank = 0;
        foreach (double l in eigenvalues) if (l > floor) rank++;
        return rank;
    }
}
