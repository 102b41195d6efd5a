namespace SpectralGate.Engine.Metrics;

/// <summary>Where the numerical-rank floor sits, which depends on how the eigenvalues were computed.</summary>
public enum NumericalRankConvention
{
    /// <summary>
    /// numpy <c>matrix_rank</c>: σ &gt; σ_max·max(N, M)·ε. Right for eigenvalues that are squared singular values from an SVD.
    /// </summary>
    SingularValues,

    /// <summary>
    /// λ &gt; λ_max·max(N, M)·ε, i.e. σ &gt; σ_max·√(max(N, M)·ε). Right for eigenvalues of the Gram matrix WᵀW (SpectralGate's
    /// engine, <c>eigvalsh</c>): forming and diagonalising WᵀW leaves an absolute error of about ε·λ_max on every eigenvalue,
    /// so a zero singular value comes out near σ_max·√ε, far above numpy's floor, and would be counted.
    /// </summary>
    GramEigenvalues,
}
