using System.Text.Json;
using SpectralGate.Engine.Errors;
using SpectralGate.Engine.Sources.Quantized;

namespace SpectralGate.Engine.Sources.Safetensors;

/// <summary>
/// A Hugging Face sharded checkpoint: <c>model.safetensors.index.json</c> with a <c>weight_map</c> from tensor name to
/// shard file. Shards are opened one at a time, in the order they first appear in the weight map, and closed before
/// the next one opens. A quantized checkpoint (a quantization config beside the index, or tensor names of a
/// quantization in the weight map) opens every shard's header up front, since a weight and its scales may lie in
/// different shards; data is still read one weight at a time.
/// </summary>
public sealed class SafetensorsShardedSource : ITensorSource
{
    /// <summary>Index files larger than this are refused: real ones are a few hundred kilobytes.</summary>
    public const long MaxIndexSize = 64L << 20;

    private readonly string _indexPath;
    private readonly IReadOnlyList<string> _shards;
    private readonly Dictionary<string, string> _weightMap;
    private readonly List<SafetensorsFileSource> _open = [];
    private readonly QuantizedCheckpoint? _quantized;

    public SafetensorsShardedSource(string indexPath)
    {
        _indexPath = indexPath;
        (_shards, _weightMap) = ReadIndex(indexPath);
        var layout = QuantizationLayout.Find(Path.GetDirectoryName(Path.GetFullPath(indexPath))!);
        if (!QuantizedCheckpoint.IsWorthRecognising(layout, _weightMap.Keys.Select(name => (name, "")))) return;
        try
        {
            var stored = new List<StoredTensor>();
            foreach (string shard in _shards)
            {
                var source = new SafetensorsFileSource(shard, recogniseQuantization: false);
                _open.Add(source);
                foreach (var entry in source.PlainTensors) CheckMapped(shard, entry.Name);
                stored.AddRange(source.StoredTensors());
            }
            _quantized = QuantizedCheckpoint.Recognise(indexPath, layout, stored);
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public string Description => _indexPath;

    public string Format => "safetensors";

    /// <summary>The shard files, in the order they first appear in the index's weight map.</summary>
    [Obsolete("Nothing in SpectralGate reads the shard list; it goes in the next major version (CHANGELOG.md).")]
    public IReadOnlyList<string> ShardPaths => _shards;

    public IEnumerable<TensorEntry> Tensors => _quantized is null
        ? ShardedTensors.Read(_indexPath, _shards, _weightMap, shard => new SafetensorsFileSource(shard, recogniseQuantization: false))
        : _quantized.Arrange(_open.SelectMany(s => s.PlainTensors));

    private void CheckMapped(string shard, string name)
    {
        if (!_weightMap.TryGetValue(name, out var mapped) || mapped != Path.GetFileName(shard))
            throw new ModelFormatException(shard, name, $"tensor is not mapped to this shard by {_indexPath}.");
    }

    /// <summary>SHA-256 over the shards' bytes, concatenated in index order.</summary>
    public string ComputeSha256() => FileSha256.Of(_shards);

    public bool HashesFilesIndependently => true;

    public void Dispose()
    {
        foreach (var source in _open) source.Dispose();
        _open.Clear();
    }

    /// <summary>The shard files (in first-mention order) and the weight map of a Hugging Face index; shared with the PyTorch reader.</summary>
    internal static (IReadOnlyList<string>, Dictionary<string, string>) ReadIndex(string indexPath)
    {
        byte[] bytes;
        try
        {
            if (!File.Exists(indexPath)) throw new ModelFormatException(indexPath, null, "file not found.");
            // The opened file's length: through a symbolic link FileInfo gives the link's own, and the limit would not hold.
            using var stream = new FileStream(indexPath, FileMode.Open, FileAccess.Read, FileShare.Read);
            if (stream.Length > MaxIndexSize)
                throw new ModelFormatException(indexPath, null, $"index is {stream.Length} bytes, above the {MaxIndexSize}-byte limit.");
            bytes = new byte[stream.Length];
            stream.ReadExactly(bytes);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ModelFormatException(indexPath, null, $"cannot be read: {e.Message}", e);
        }

        string folder = Path.GetDirectoryName(Path.GetFullPath(indexPath))!;
        var shards = new List<string>();
        var weightMap = new Dictionary<string, string>(StringComparer.Ordinal);
        // JsonDocument defers UTF-8 checks of strings to GetString (InvalidOperationException, found by fuzzing).
        if (!System.Text.Unicode.Utf8.IsValid(bytes))
            throw new ModelFormatException(indexPath, null, "index is not valid UTF-8.");
        try
        {
            using var doc = JsonDocument.Parse(bytes, new JsonDocumentOptions { MaxDepth = 8 });
            if (doc.RootElement.ValueKind != JsonValueKind.Object
                || !doc.RootElement.TryGetProperty("weight_map", out var map) || map.ValueKind != JsonValueKind.Object)
                throw new ModelFormatException(indexPath, null, "index has no 'weight_map' object.");
            foreach (JsonProperty p in map.EnumerateObject())
            {
                if (p.Value.ValueKind != JsonValueKind.String)
                    throw new ModelFormatException(indexPath, p.Name, "weight_map value is not a file name.");
                string shard = p.Value.GetString()!;
                if (shard.Length == 0 || shard != Path.GetFileName(shard) || shard is "." or "..")
                    throw new ModelFormatException(indexPath, p.Name, $"shard '{shard}' is not a plain file name in the index's folder.");
                weightMap[p.Name] = shard;
                string full = Path.Combine(folder, shard);
                if (!shards.Contains(full)) shards.Add(full);
            }
        }
        catch (JsonException e)
        {
            throw new ModelFormatException(indexPath, null, $"index is not valid JSON: {e.Message}", e);
        }
        if (shards.Count == 0) throw new ModelFormatException(indexPath, null, "weight_map is empty.");
        return (shards, weightMap);
    }
}
