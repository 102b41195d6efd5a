using SpectralGate.Engine.Runtime;

namespace SpectralGate.Engine.Spectra;

/// <summary>
/// Runs a spectrum computation on one libtorch intra-op thread, so its bits do not depend on OMP_NUM_THREADS or
/// <c>torch.set_num_threads</c>. Measured on libtorch 2.10 CPU (MKL), 1 against 2 and 4 threads: <c>eigvalsh</c> (its
/// tridiagonal reduction), <c>qr</c>, GEMMs with a small output and a long inner dimension (WᵀY in the sketch, the Gram
/// of a tall matrix) and float32 sums all change in their last bits; only a GEMM with a large output did not. Every
/// thread count must give the same signature, so the whole computation runs serially: its cost is in docs/scale.md.
/// </summary>
internal static class SingleThreadedSpectrum
{
    public static T Run<T>(Func<T> compute)
    {
        using var serial = SingleThreadedTorch.Enter();
        return compute();
    }
}
