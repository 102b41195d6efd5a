using SpectralGate.Engine.Errors;

namespace SpectralGate.Engine.Sources;

/// <summary>The tensors of a Hugging Face sharded checkpoint, whatever the shards' format.</summary>
internal static class ShardedTensors
{
    /// <summary>
    /// Opens the shards one at a time, in order, each closed before the next opens, and checks that every tensor is
    /// mapped to the shard it was found in by the index's <c>weight_map</c>.
    /// </summary>
    public static IEnumerable<TensorEntry> Read(string indexPath, IReadOnlyList<string> shards, IReadOnlyDictionary<string, string> weightMap, Func<string, ITensorSource> open)
    {
        foreach (string shard in shards)
        {
            using var source = open(shard);
            string shardName = Path.GetFileName(shard);
            foreach (TensorEntry entry in source.Tensors)
            {
                if (!weightMap.TryGetValue(entry.Name, out var mapped) || mapped != shardName)
                    throw new ModelFormatException(shard, entry.Name, $"tensor is not mapped to this shard by {indexPath}.");
                yield return entry;
            }
        }
    }
}
