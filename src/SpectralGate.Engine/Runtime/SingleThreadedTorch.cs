using TorchSharp;

namespace SpectralGate.Engine.Runtime;

/// <summary>
/// Runs libtorch on one intra-op thread for the scope's lifetime, restoring the caller's count when the last overlapping
/// scope ends. For many small kernels (FARMS windows): MKL picks its blocking from the thread count, so a batched GEMM or
/// eigvalsh of 128 × 128 windows gives different bits at 1, 2 or 4 threads (measured: alpha_farms off by 4e-5 in float32);
/// one thread gives the same bits everywhere, and small kernels gain nothing from more threads, while on a loaded machine
/// their OpenMP barriers cost the most (measured on MiniLM, 2 cores under load: 369 s with 2 threads, 11 s with one).
/// </summary>
public sealed class SingleThreadedTorch : IDisposable
{
    private static readonly object Gate = new();
    private static int _depth;
    private static int _saved;
    private bool _disposed;

    private SingleThreadedTorch() { }

    public static SingleThreadedTorch Enter()
    {
        lock (Gate)
        {
            if (_depth++ == 0)
            {
                _saved = torch.get_num_threads();
                if (_saved != 1) torch.set_num_threads(1);
            }
        }
        return new SingleThreadedTorch();
    }

    public void Dispose()
    {
        lock (Gate)
        {
            if (_disposed) return;
            _disposed = true;
            if (--_depth == 0 && _saved != 1) torch.set_num_threads(_saved);
        }
    }
}
