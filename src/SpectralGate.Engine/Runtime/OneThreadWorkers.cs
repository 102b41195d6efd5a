using System.Collections.Concurrent;
using System.Runtime.ExceptionServices;
using TorchSharp;

namespace SpectralGate.Engine.Runtime;

/// <summary>
/// Runs independent items (a signature's tensors) on as many worker threads as libtorch has intra-op threads, each
/// worker running libtorch on one thread. Every spectrum already runs on one intra-op thread (<see cref="SingleThreadedTorch"/>:
/// its bits must not depend on the thread count), so without workers a k-core machine computes on one core; with them it
/// computes k items at once, each the same serial computation on its own tensors, hence the same bits.
/// Results come back in the items' order, and a failure is the one of the first failing item, whatever finished first.
/// Items run side by side while their bytes add up to at most the larger of <see cref="SharedBudgetBytes"/> and the
/// largest item's, so peak memory stays about the largest item's: two TinyLlama MLPs pair up under its embedding.
/// </summary>
public static class OneThreadWorkers
{
    /// <summary>Items always share this much (128 MiB: MiniLM's and GPT-2's layers pair up); a model with a larger item shares up to that item's bytes.</summary>
    public const long SharedBudgetBytes = 128L << 20;

    /// <param name="items">The work, in order.</param>
    /// <param name="bytes">An item's memory (its tensor in the compute type), for <see cref="SharedBudgetBytes"/>.</param>
    /// <param name="compute">The work of one item; runs on a worker thread when there is more than one worker.</param>
    /// <param name="completed">Called on the caller's thread as each item finishes (in completion order).</param>
    /// <param name="cancellationToken">Checked before each item starts; items already running finish first.</param>
    /// <param name="parallel">False to run every item on the caller's thread (a GPU device, or tensors of a live module).</param>
    public static TResult[] Run<TItem, TResult>(IReadOnlyList<TItem> items, Func<TItem, long> bytes, Func<TItem, TResult> compute,
        Action<TItem> completed, CancellationToken cancellationToken, bool parallel = true)
    {
        int saved = torch.get_num_threads();
        int workers = parallel ? Math.Min(saved, items.Count) : 1;
        var results = new TResult[items.Count];
        if (workers <= 1)
        {
            for (int i = 0; i < items.Count; i++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                results[i] = compute(items[i]);
                completed(items[i]);
            }
            return results;
        }

        long budget = Math.Max(SharedBudgetBytes, items.Max(bytes));
        var errors = new ExceptionDispatchInfo?[items.Count];
        using var finished = new BlockingCollection<int>();
        int next = 0, running = 0;
        long runningBytes = 0;
        bool stop = false;
        try
        {
            while (true)
            {
                while (!stop && next < items.Count && running < workers && (running == 0 || runningBytes + bytes(items[next]) <= budget))
                {
                    if (cancellationToken.IsCancellationRequested) { stop = true; break; }
                    int index = next++;
                    running++;
                    runningBytes += bytes(items[index]);
                    // A fresh thread per item: libtorch's thread count and MKL's are per thread, set here and gone with it.
                    var thread = new Thread(() =>
                    {
                        try
                        {
                            torch.set_num_threads(1);
                            results[index] = compute(items[index]);
                        }
                        catch (Exception e)
                        {
                            errors[index] = ExceptionDispatchInfo.Capture(e);
                        }
                        finally
                        {
                            finished.Add(index);
                        }
                    }) { IsBackground = true, Name = "spectralgate-layer" };
                    thread.Start();
                }
                if (running == 0) break;
                int done = finished.Take();
                running--;
                runningBytes -= bytes(items[done]);
                if (errors[done] is not null) stop = true;
                else completed(items[done]);
            }
        }
        finally
        {
            // set_num_threads in a worker also sets the count new threads start with: give it back the caller's.
            torch.set_num_threads(saved);
        }
        // Every item before a failing one was started before it and has finished: the first failure is deterministic.
        foreach (var error in errors) error?.Throw();
        cancellationToken.ThrowIfCancellationRequested();
        return results;
    }
}
