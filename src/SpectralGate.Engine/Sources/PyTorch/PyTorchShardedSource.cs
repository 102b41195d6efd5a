using SpectralGate.Engine.Errors;
using SpectralGate.Engine.Sources.Safetensors;

namespace SpectralGate.Engine.Sources.PyTorch;

/// <summary>
/// A sharded PyTorch checkpoint: <c>pytorch_model.bin.index.json</c> (the same <c>weight_map</c> as safetensors'
/// index) naming <c>torch.save</c> shards. Shards are opened one at a time, in the order they first appear.
/// </summary>
public sealed class PyTorchShardedSource : ITensorSource
{
    private readonly string _indexPath;
    private readonly IReadOnlyList<string> _shards;
    private readonly Dictionary<string, string> _weightMap;

    public PyTorchShardedSource(string indexPath)
    {
        _indexPath = indexPath;
        (_shards, _weightMap) = SafetensorsShardedSource.ReadIndex(indexPath);
        foreach (string shard in _shards)
            if (!File.Exists(shard)) throw new ModelFormatException(shard, null, $"shard named by {indexPath} is missing.");
    }

    public string Description => _indexPath;

    public string Format => "pytorch";

    public IEnumerable<TensorEntry> Tensors => ShardedTensors.Read(_indexPath, _shards, _weightMap, shard => new PyTorchCheckpointSource(shard));

    /// <summary>SHA-256 over the shards' bytes, concatenated in index order.</summary>
    public string ComputeSha256() => FileSha256.Of(_shards);

    public bool HashesFilesIndependently => true;

    public void Dispose()
    {
    }
}
