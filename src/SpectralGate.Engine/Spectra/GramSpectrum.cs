using TorchSharp;

namespace SpectralGate.Engine.Spectra;

/// <summary>
/// Squared singular values of a batch of matrices from the eigenvalues of the smaller Gram matrix
/// (<c>WᵀW</c> or <c>WWᵀ</c>) with <c>linalg.eigvalsh</c>: the same spectrum as an SVD at a tenth of the cost on CPU
/// (measured: 2048x8192 f32, 1.9 s against 22 s for <c>svdvals</c>). Eigenvalues are λ = σ² with no 1/N
/// (the WeightWatcher convention), clamped at 0, pooled over the batch and sorted descending.
/// </summary>
public static class GramSpectrum
{
    /// <summary>Gram sides from which only the lower block triangle is multiplied (<see cref="LowerGram"/>).</summary>
    public const int BlockedFrom = 1024;

    private const int Blocks = 4;

    /// <summary>The pooled eigenvalues of <paramref name="batch"/> <c>[count, r, c]</c>, computed in its dtype on its device.</summary>
    public static double[] Eigenvalues(torch.Tensor batch)
    {
        using var scope = torch.NewDisposeScope();
        long r = batch.shape[^2];
        long c = batch.shape[^1];
        // A single matrix goes through 2-D mm: libtorch's batched path is slower for a batch of one.
        torch.Tensor m = batch.shape[0] == 1 ? batch[0] : batch;
        if (PowerOfTwoScale.Normalize(m) is not var (scaled, exponent)) return new double[Math.Min(r, c) * batch.shape[0]];
        m = scaled;
        torch.Tensor gram = batch.shape[0] == 1 && Math.Min(r, c) >= BlockedFrom
            ? LowerGram(r >= c ? m : m.t())
            : r >= c ? m.transpose(-2, -1).matmul(m) : m.matmul(m.transpose(-2, -1));
        torch.Tensor eigenvalues = Solve(m, gram).clamp_min(0).flatten().to(torch.ScalarType.Float64).cpu();
        double[] values = eigenvalues.data<double>().ToArray();
        PowerOfTwoScale.Restore(values, exponent);
        Array.Sort(values);
        Array.Reverse(values);
        return values;
    }

    /// <summary>
    /// eigvalsh of the Gram; when LAPACK does not converge (seen only on fuzzed weights spanning 1e-42 to 1e37), again in
    /// float64, then as squared singular values of W (gesdd, another algorithm). Throws the last error if all three fail.
    /// </summary>
    private static torch.Tensor Solve(torch.Tensor m, torch.Tensor gram)
    {
        try
        {
            return torch.linalg.eigvalsh(gram);
        }
        catch (System.Runtime.InteropServices.ExternalException) when (gram.dtype != torch.ScalarType.Float64)
        {
        }
        catch (System.Runtime.InteropServices.ExternalException)
        {
            return torch.linalg.svdvals(m).square();
        }
        torch.Tensor wide = m.to(torch.ScalarType.Float64);
        try
        {
            return torch.linalg.eigvalsh(gram.to(torch.ScalarType.Float64));
        }
        catch (System.Runtime.InteropServices.ExternalException)
        {
            return torch.linalg.svdvals(wide).square();
        }
    }

    /// <summary>
    /// WᵀW with only its lower block triangle multiplied, as BLAS syrk would: 10 of the 16 blocks, 62% of the GEMM's
    /// flops (measured 0.32 s against 0.43 s for 5632x2048 in float64). eigvalsh reads only the lower triangle, so the
    /// upper blocks stay zero.
    /// </summary>
    private static torch.Tensor LowerGram(torch.Tensor w)
    {
        long n = w.shape[1];
        var gram = torch.zeros([n, n], w.dtype, w.device);
        long step = (n + Blocks - 1) / Blocks;
        for (long i = 0; i < n; i += step)
        {
            long iEnd = Math.Min(n, i + step);
            torch.Tensor wi = w[.., (int)i..(int)iEnd];
            for (long j = 0; j <= i; j += step)
            {
                long jEnd = Math.Min(n, j + step);
                gram[(int)i..(int)iEnd, (int)j..(int)jEnd] = wi.t().matmul(w[.., (int)j..(int)jEnd]);
            }
        }
        return gram;
    }
}
