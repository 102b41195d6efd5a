using SpectralGate.Engine.Runtime;
using static TorchSharp.torch;

namespace SpectralGate.Engine.Tests.Runtime;

/// <summary>
/// Layers side by side: as many workers as libtorch threads, each on one libtorch thread, results in the items' order,
/// the first item's failure whatever finished first, heavy items alone, the caller's thread count kept.
/// </summary>
[NonParallelizable] // sets libtorch's thread count
public class OneThreadWorkersTests
{
    private static T WithThreads<T>(int threads, Func<T> body)
    {
        int saved = get_num_threads();
        try
        {
            set_num_threads(threads);
            return body();
        }
        finally
        {
            set_num_threads(saved);
        }
    }

    /// <summary>Runs items that each wait a little, recording how many ran at once and the libtorch thread count inside.</summary>
    private static (int[] Results, int MaxConcurrent, int[] InnerThreads, List<int> Completed) Record(int threads, long[] bytes)
    {
        int running = 0, max = 0;
        var inner = new int[bytes.Length];
        var completed = new List<int>();
        int[] results = WithThreads(threads, () => OneThreadWorkers.Run(Enumerable.Range(0, bytes.Length).ToArray(), i => bytes[i], i =>
        {
            int now = Interlocked.Increment(ref running);
            InterlockedMax(ref max, now);
            inner[i] = get_num_threads();
            Thread.Sleep(30);
            Interlocked.Decrement(ref running);
            return i * i;
        }, completed.Add, CancellationToken.None));
        return (results, max, inner, completed);
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int seen;
        while (value > (seen = Volatile.Read(ref target)) && Interlocked.CompareExchange(ref target, value, seen) != seen) { }
    }

    [Test]
    public void TwoLibtorchThreadsRunTwoItemsAtOnceEachOnOneThreadInOrder()
    {
        var (results, max, inner, completed) = Record(2, [1, 1, 1, 1, 1, 1]);

        Assert.That(results, Is.EqualTo(new[] { 0, 1, 4, 9, 16, 25 }));
        Assert.That(max, Is.EqualTo(2));
        Assert.That(inner, Is.All.EqualTo(1), "each worker runs libtorch on one thread");
        Assert.That(completed, Is.EquivalentTo(Enumerable.Range(0, 6)));
        Assert.That(get_num_threads(), Is.GreaterThan(0));
    }

    [Test]
    public void OneLibtorchThreadRunsEverythingOnTheCallersThread()
    {
        var (results, max, _, completed) = Record(1, [1, 1, 1]);

        Assert.That(results, Is.EqualTo(new[] { 0, 1, 4 }));
        Assert.That(max, Is.EqualTo(1));
        Assert.That(completed, Is.EqualTo(new[] { 0, 1, 2 }));
    }

    [Test]
    public void ItemsOverTheSharedBudgetRunAlone()
    {
        long half = OneThreadWorkers.SharedBudgetBytes / 2;
        var (_, max, _, _) = Record(4, [half + 1, half + 1, half + 1]);

        Assert.That(max, Is.EqualTo(1));
    }

    [Test]
    public void UnderALargerItemHeavyItemsPairUpAndTheLargestRunsAlone()
    {
        // Peak memory is the largest item's anyway: two items that together stay under it may run at once.
        long half = OneThreadWorkers.SharedBudgetBytes / 2, largest = 4 * OneThreadWorkers.SharedBudgetBytes;
        var (_, pairs, _, _) = Record(2, [largest, half + 1, half + 1, half + 1, half + 1]);
        var (_, alone, _, _) = Record(2, [largest, largest, 1]);

        Assert.That((pairs, alone), Is.EqualTo((2, 1)));
    }

    [Test]
    public void TheCallersThreadCountIsKept()
    {
        Assert.That(WithThreads(2, () =>
        {
            OneThreadWorkers.Run([1, 2, 3], _ => 1, i => i, _ => { }, CancellationToken.None);
            return get_num_threads();
        }), Is.EqualTo(2));
    }

    [Test]
    public void TheFirstFailingItemsErrorIsThrownWhateverFinishedFirst()
    {
        // Item 1 fails late, item 2 fails at once: the error is item 1's, as it would be one after another.
        var e = Assert.Throws<InvalidOperationException>(() => WithThreads(2, () => OneThreadWorkers.Run([0, 1, 2, 3], _ => 1, i =>
        {
            if (i == 1) { Thread.Sleep(200); throw new InvalidOperationException("item 1"); }
            if (i == 2) throw new InvalidOperationException("item 2");
            return i;
        }, _ => { }, CancellationToken.None)));

        Assert.That(e!.Message, Is.EqualTo("item 1"));
    }
}
