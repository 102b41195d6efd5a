using SpectralGate.Engine.Sources;

namespace SpectralGate.Engine.Signatures;

/// <summary>
/// Deals a source's tensors to shards so that each gets about the same work: longest job first onto the least-loaded
/// shard, with the cost of a tensor taken as its Gram product (elements × the smaller matrix side). Depends only on names
/// and shapes, so every process computes the same plan from the header alone.
/// </summary>
public static class ShardPlan
{
    /// <summary>The shard (1-based) of every tensor name.</summary>
    public static IReadOnlyDictionary<string, int> Assign(IEnumerable<TensorEntry> tensors, int shards)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(shards, 1);
        var load = new double[shards];
        var plan = new Dictionary<string, int>(StringComparer.Ordinal);
        var ordered = tensors.Select(t => (t.Name, Cost: Cost(t.Shape)))
            .OrderByDescending(t => t.Cost).ThenBy(t => t.Name, StringComparer.Ordinal);
        foreach (var (name, cost) in ordered)
        {
            int target = 0;
            for (int s = 1; s < shards; s++)
                if (load[s] < load[target]) target = s;
            load[target] += cost;
            plan[name] = target + 1;
        }
        return plan;
    }

    /// <summary>Elements × the smaller side of the matrix the tensor becomes (first dimension against the rest).</summary>
    private static double Cost(long[] shape)
    {
        if (shape.Length == 0) return 1;
        double rows = Math.Max(1, shape[0]);
        double cols = 1;
        for (int i = 1; i < shape.Length; i++) cols *= Math.Max(1, shape[i]);
        // A floor of one keeps 0-size and 1-D tensors spread too, instead of all landing on one shard.
        return Math.Max(1, rows * cols * Math.Min(rows, cols));
    }
}
