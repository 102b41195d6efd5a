using Google.Protobuf;
using SpectralGate.Engine.Errors;
using SpectralGate.Engine.Sources.Onnx.Proto;
using TorchSharp;

namespace SpectralGate.Engine.Sources.Onnx;

/// <summary>
/// An ONNX model (parsed with Google.Protobuf from the official <c>onnx.proto</c>). Weights are found in graph
/// initializers, in <c>Constant</c> nodes (named by their output) and in the subgraphs of <c>If</c>/<c>Loop</c>/<c>Scan</c>
/// and any other GRAPH/GRAPHS attribute, where names are prefixed <c>{node}/{attribute}/</c> (node = its name, or
/// <c>{op_type}#{index}</c>) to stay unique. Data may be in <c>raw_data</c>, the typed fields, or external files next
/// to the model (paths that leave the model's folder are refused). Sparse initializers are not read. The file is read
/// as a stream (<see cref="OnnxStreamingReader"/>): the main graph's <c>raw_data</c> is skipped and read only when its
/// tensor is loaded, so opening a 2 GB model costs its graph's structure, not 2 GB. Quantized weights are decoded to
/// floats (<see cref="OnnxQuantizedWeights"/>).
/// </summary>
public sealed class OnnxModelSource : ITensorSource
{
    /// <summary>Protobuf cannot hold more; larger models keep their weights in external data files.</summary>
    public const long MaxModelBytes = int.MaxValue;
    public const int MaxSubgraphDepth = 32;
    public const int MaxTensors = 1_000_000;

    private readonly string _path;
    private readonly string _folder;
    private readonly List<OnnxTensorInfo> _tensors = [];
    private readonly List<string> _externalFiles = [];
    private readonly List<OnnxNodeInScope> _nodes = [];
    private readonly OnnxQuantizedWeights _quantized;

    public OnnxModelSource(string path)
    {
        _path = path;
        _folder = Path.GetDirectoryName(Path.GetFullPath(path))!;
        OnnxStreamingReader model;
        try
        {
            if (!File.Exists(path)) throw new ModelFormatException(path, null, "file not found.");
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
            // The opened file's length, not FileInfo's: through a symbolic link that is the link's own few bytes.
            long length = stream.Length;
            if (length > MaxModelBytes)
                throw new ModelFormatException(path, null, $"file is {length} bytes; protobuf holds at most 2 GiB (keep weights in external data).");
            using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 16);
            model = OnnxStreamingReader.Read(stream, file, length, 100);
        }
        catch (Exception e) when (e is InvalidProtocolBufferException or InvalidDataException)
        {
            throw new ModelFormatException(path, null, $"not a valid ONNX protobuf: {e.Message}", e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ModelFormatException(path, null, $"cannot be read: {e.Message}", e);
        }
        if (model.Graph is null) throw new ModelFormatException(path, null, "has no graph; not an ONNX model?");
        foreach (var (tensor, raw) in model.Initializers) Add(tensor.Name, tensor, raw);
        Walk(model.Graph, [""], 0);
        _quantized = OnnxQuantizedWeights.Find(path, _tensors, _nodes);
    }

    public string Description => _path;

    public string Format => "onnx";

    /// <summary>The tensors in stored order; a quantized weight takes the place of its integer initializer.</summary>
    public IEnumerable<TensorEntry> Tensors => _tensors.Select((t, i) => _quantized.Weights.TryGetValue(i, out var weight)
        ? new QuantizedEntry(this, weight)
        : (TensorEntry)new Entry(this, t, _quantized.Undecodable.GetValueOrDefault(i)));

    /// <summary>SHA-256 over the model file followed by each external data file, in order of first use.</summary>
    public string ComputeSha256() => FileSha256.Of(_externalFiles.Prepend(_path));

    public bool HashesFilesIndependently => true;

    public void Dispose()
    {
    }

    // scopes: the name prefixes of this graph and of the graphs around it, innermost first.
    private void Walk(GraphProto graph, string[] scopes, int depth)
    {
        string prefix = scopes[0];
        if (depth > MaxSubgraphDepth)
            throw new ModelFormatException(_path, prefix.TrimEnd('/'), $"subgraphs nest deeper than {MaxSubgraphDepth} levels.");
        foreach (TensorProto t in graph.Initializer) Add(prefix + t.Name, t);
        for (int i = 0; i < graph.Node.Count; i++)
        {
            NodeProto node = graph.Node[i];
            string nodeName = string.IsNullOrEmpty(node.Name) ? $"{node.OpType}#{i}" : node.Name;
            _nodes.Add(new OnnxNodeInScope(node, scopes));
            foreach (AttributeProto attribute in node.Attribute)
            {
                if (node.OpType == "Constant" && attribute.Name == "value" && attribute.T is not null)
                    Add(prefix + (node.Output.Count > 0 ? node.Output[0] : nodeName), attribute.T);
                if (attribute.G is not null) Walk(attribute.G, [$"{prefix}{nodeName}/{attribute.Name}/", .. scopes], depth + 1);
                for (int g = 0; g < attribute.Graphs.Count; g++) Walk(attribute.Graphs[g], [$"{prefix}{nodeName}/{attribute.Name}[{g}]/", .. scopes], depth + 1);
            }
        }
    }

    private void Add(string name, TensorProto tensor, OnnxRawData? raw = null)
    {
        if (_tensors.Count >= MaxTensors) throw new ModelFormatException(_path, name, $"model holds more than {MaxTensors} tensors.");
        _tensors.Add(OnnxTensorInfo.Describe(_path, _folder, name, tensor, _externalFiles, raw));
    }

    private torch.Tensor Load(OnnxTensorInfo info, torch.Device device, torch.ScalarType computeType)
    {
        if (info.ExternalFile is not null && info.Length > int.MaxValue) return info.LoadMapped(_path, device, computeType);
        if (info.Length > int.MaxValue) throw new ModelFormatException(_path, info.Name, $"tensor is {info.Length} bytes; above 2 GiB only float tensors in external data are read.");
        return TensorData.ReadTensor(info.DType, info.Shape, computeType, device, into => info.ReadInto(_path, into));
    }

    private torch.Tensor Load(OnnxQuantizedWeight weight, torch.Device device, torch.ScalarType computeType)
    {
        using var values = weight.Dequantize(_path);
        return values.to(computeType, device);
    }

    private sealed class Entry(OnnxModelSource owner, OnnxTensorInfo info, string? undecodable) : TensorEntry(info.Name, info.Shape, info.DType, info.StoredDType)
    {
        public override string? UndecodableReason => undecodable;

        public override torch.Tensor Load(torch.Device device, torch.ScalarType computeType) => owner.Load(info, device, computeType);
    }

    private sealed class QuantizedEntry(OnnxModelSource owner, OnnxQuantizedWeight weight) : TensorEntry(weight.Name, weight.Shape, weight.DType, weight.StoredDType)
    {
        public override torch.Tensor Load(torch.Device device, torch.ScalarType computeType) => owner.Load(weight, device, computeType);
    }
}
