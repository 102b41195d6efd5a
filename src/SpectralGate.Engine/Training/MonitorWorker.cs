using System.Collections.Concurrent;
using System.Runtime.ExceptionServices;
using TorchSharp;

namespace SpectralGate.Engine.Training;

/// <summary>
/// One background thread running the monitor's analyses in order, behind a bounded queue: <see cref="Post"/> blocks
/// while the queue is full (back-pressure: memory stays at most capacity + 1 snapshots). The thread runs libtorch on
/// one intra-op thread (bits independent of the thread count). A failure is rethrown on the next call.
/// </summary>
internal sealed class MonitorWorker : IDisposable
{
    private readonly BlockingCollection<Action> _queue;
    private readonly Thread _thread;
    private ExceptionDispatchInfo? _failure;

    public MonitorWorker(int capacity)
    {
        if (capacity < 1) throw new ArgumentOutOfRangeException(nameof(capacity), capacity, "the queue holds at least one record.");
        _queue = new BlockingCollection<Action>(capacity);
        _thread = new Thread(Loop) { IsBackground = true, Name = "spectralgate-monitor" };
        _thread.Start();
    }

    public void Post(Action work)
    {
        ThrowIfFailed();
        _queue.Add(work);
    }

    /// <summary>Waits until every posted analysis has run.</summary>
    public void Drain()
    {
        using var done = new ManualResetEventSlim();
        Post(done.Set);
        done.Wait();
        ThrowIfFailed();
    }

    public void ThrowIfFailed() => _failure?.Throw();

    private void Loop()
    {
        torch.set_num_threads(1);
        foreach (Action work in _queue.GetConsumingEnumerable())
        {
            if (_failure is not null && work.Target is not ManualResetEventSlim) continue; // after a failure, only wake waiters
            try
            {
                work();
            }
            catch (Exception e)
            {
                _failure = ExceptionDispatchInfo.Capture(e);
            }
        }
    }

    public void Dispose()
    {
        _queue.CompleteAdding();
        _thread.Join();
        _queue.Dispose();
    }
}
