using TorchSharp;

namespace SpectralAssert.Spectra;

/// <summary>
/// Squared singular values of a batch of matrices from the eigenvalues of the smaller Gram matrix
/// (<c>WᵀW</c> or <c>WWᵀ</c>) with <c>linalg.eigvalsh</c>: the same spectrum as an SVD at a tenth of the cost on CPU
/// (measured: 2048x8192 f32, 1.9 s against 22 s for <c>svdvals</c>). Eigenvalues are λ = σ² with no 1/N
/// (the WeightWatcher convention), clamped at 0, pooled over the batch and sorted descending.
/// </summary>
public static class GramSpectrum
{
    /// <summary>The pooled eigenvalues of <paramref name="batch"/> <c>[count, r, c]</c>, computed in its dtype on its device.</summary>
    public static double[] Eigenvalues(torch.Tensor batch)
    {
        using var scope = torch.NewDisposeScope();
        long r = batch.shape[^2];
        long c = batch.shape[^1];
        // A single matrix goes through 2-D mm: libtorch's batched path is slower for a batch of one.
        torch.Tensor m = batch.shape[0] == 1 ? batch[0] : batch;
        torch.Tensor gram = r >= c ? m.transpose(-2, -1).matmul(m) : m.matmul(m.transpose(-2, -1));
        torch.Tensor eigenvalues = torch.linalg.eigvalsh(gram).clamp_min(0).flatten().to(torch.ScalarType.Float64).cpu();
        double[] values = eigenvalues.data<double>().ToArray();
        Array.Sort(values);
        Array.Reverse(values);
        return values;
    }
}
