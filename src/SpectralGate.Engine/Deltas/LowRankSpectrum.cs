using TorchSharp;

namespace SpectralGate.Engine.Deltas;

/// <summary>
/// The spectrum of ΔW = s·B·A (B <c>[m, r]</c>, A <c>[r, n]</c>) without forming it: B = Q_B·R_B and Aᵀ = Q_A·R_A (reduced QR), so
/// ΔW = s·Q_B·(R_B·R_Aᵀ)·Q_Aᵀ and σ(ΔW) = s·σ(R_B·R_Aᵀ), an r×r SVD. O((m+n)·r²) time, O((m+n)·r) memory.
/// </summary>
public static class LowRankSpectrum
{
    /// <summary>λ = σ², descending, padded with zeros to min(m, n) values as the dense Gram spectrum would have.</summary>
    public static double[] Eigenvalues(torch.Tensor b, torch.Tensor a, double scale)
    {
        using var scope = torch.NewDisposeScope();
        var (_, rb) = torch.linalg.qr(b);
        var (_, ra) = torch.linalg.qr(a.t());
        double[] sigma = torch.linalg.svdvals(rb.matmul(ra.t())).to(torch.ScalarType.Float64).cpu().data<double>().ToArray();
        long m = b.shape[0], n = a.shape[1];
        var eigenvalues = new double[Math.Min(m, n)];
        for (int i = 0; i < Math.Min(sigma.Length, eigenvalues.Length); i++) eigenvalues[i] = scale * scale * sigma[i] * sigma[i];
        Array.Sort(eigenvalues);
        Array.Reverse(eigenvalues);
        return eigenvalues;
    }
}
