using MathNet.Numerics.LinearAlgebra;

namespace SpectralGate.Engine.Probes;

/// <summary>
/// EigenScore (INSIDE, Chen et al., ICLR 2024): K sampled embeddings z_k ∈ R^d, each centred over its own d features
/// (Σ = Z J_d Zᵀ, K × K), plus α·I (α = 1e-3); the mean log eigenvalue. Two published conventions
/// (metrics-reference §6): <see cref="Convention.LmPolygraph"/> (paper, lm-polygraph: natural log, no divisor; the
/// first three unit vectors of R⁴ give −0.4601011131) and <see cref="Convention.AlibabaCode"/> (alibaba/eigenscore:
/// torch.cov divides by d − 1, log10; −0.6752137923).
/// </summary>
public static class EigenScore
{
    public enum Convention
    {
        LmPolygraph,
        AlibabaCode,
    }

    public static double Compute(IReadOnlyList<double[]> embeddings, double alpha = 1e-3, Convention convention = Convention.LmPolygraph)
    {
        int k = embeddings.Count, d = embeddings[0].Length;
        var centred = Matrix<double>.Build.Dense(k, d, (i, j) => embeddings[i][j] - embeddings[i].Average());
        var gram = centred * centred.Transpose();
        if (convention == Convention.AlibabaCode) gram /= d - 1;
        gram += Matrix<double>.Build.DenseIdentity(k) * alpha;
        var eigenvalues = gram.Evd(Symmetricity.Symmetric).EigenValues.Select(c => Math.Max(c.Real, 1e-10));
        return convention == Convention.AlibabaCode ? eigenvalues.Average(Math.Log10) : eigenvalues.Average(Math.Log);
    }
}
