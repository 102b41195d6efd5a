using SpectralGate.Engine.Spectra;
using TorchSharp;

namespace SpectralGate.Engine.Deltas;

/// <summary>
/// The spectrum λ = σ² (descending) of a matrix, its squared Frobenius norm and the span of its top-k singular vectors on
/// the smaller side: exact from one <c>eigh</c> of the smaller Gram matrix (the engine's convention, <see cref="GramSpectrum"/>),
/// or sketched from one block Lanczos run (<see cref="LanczosQuadratureSpectrum"/>: its spectrum, the exact trace and its
/// top Ritz vectors). Null basis for a zero matrix.
/// </summary>
internal sealed record TopSubspace(double[] Eigenvalues, double SquaredFrobenius, torch.Tensor? Basis)
{
    public static TopSubspace Of(torch.Tensor matrix, int k)
    {
        long r = matrix.shape[0], c = matrix.shape[1];
        if (PowerOfTwoScale.Normalize(matrix) is not var (scaled, exponent)) return new TopSubspace(new double[Math.Min(r, c)], 0, null);
        using torch.Tensor gram = r >= c ? scaled.t().matmul(scaled) : scaled.matmul(scaled.t());
        var (values, vectors) = torch.linalg.eigh(gram);
        using (values)
        {
            double[] eigenvalues = values.clamp_min(0).to(torch.ScalarType.Float64).cpu().data<double>().ToArray();
            PowerOfTwoScale.Restore(eigenvalues, exponent);
            Array.Reverse(eigenvalues); // eigh is ascending
            long n = vectors.shape[1];
            torch.Tensor basis = vectors[.., (int)(n - k)..].contiguous();
            vectors.Dispose();
            return new TopSubspace(eigenvalues, eigenvalues.Sum(), basis);
        }
    }

    /// <summary>
    /// The sketched spectrum and the top-k Ritz vectors of one Lanczos run; ‖W‖_F² is the run's trace, exact, not the sum
    /// of the reconstructed spectrum (which <see cref="RitzQuadrature"/> may cap below it).
    /// </summary>
    public static TopSubspace Sketched(torch.Tensor matrix, int k, SketchOptions sketch, string name)
    {
        var (run, vectors) = LanczosQuadratureSpectrum.RunWithTopVectors(matrix, sketch, name, k);
        double[] eigenvalues = PowerOfTwoScale.Restore(LanczosQuadratureSpectrum.Spectrum(run), run.Exponent);
        double squaredFrobenius = PowerOfTwoScale.Restore([run.Trace], run.Exponent)[0];
        return new TopSubspace(eigenvalues, squaredFrobenius, vectors);
    }

    /// <summary>
    /// cos θ_max, the smallest singular value of Q_aᵀQ_b (Björck–Golub 1973): the cosine of the largest principal angle
    /// between the two k-dimensional spans. Reported as a cosine, not an angle, because acos near 1 amplifies round-off.
    /// </summary>
    public static double? MinCosine(TopSubspace a, TopSubspace b)
    {
        if (a.Basis is null || b.Basis is null) return null;
        using var scope = torch.NewDisposeScope();
        double cos = torch.linalg.svdvals(a.Basis.t().matmul(b.Basis)).min().to(torch.ScalarType.Float64).item<double>();
        return Math.Clamp(cos, 0, 1);
    }
}
