using System.Security.Cryptography;
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
/// to the model (paths that leave the model's folder are refused). Sparse initializers are not read.
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

    public OnnxModelSource(string path)
    {
        _path = path;
        _folder = Path.GetDirectoryName(Path.GetFullPath(path))!;
        ModelProto model;
        try
        {
            var info = new FileInfo(path);
            if (!info.Exists) throw new ModelFormatException(path, null, "file not found.");
            if (info.Length > MaxModelBytes)
                throw new ModelFormatException(path, null, $"file is {info.Length} bytes; protobuf holds at most 2 GiB (keep weights in external data).");
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
            using var coded = CodedInputStream.CreateWithLimits(stream, (int)Math.Max(info.Length, 1), 100);
            model = ModelProto.Parser.ParseFrom(coded);
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new ModelFormatException(path, null, $"not a valid ONNX protobuf: {e.Message}", e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ModelFormatException(path, null, $"cannot be read: {e.Message}", e);
        }
        if (model.Graph is null) throw new ModelFormatException(path, null, "has no graph; not an ONNX model?");
        Walk(model.Graph, "", 0);
    }

    public string Description => _path;

    public string Format => "onnx";

    public IEnumerable<TensorEntry> Tensors => _tensors.Select(t => (TensorEntry)new Entry(this, t));

    /// <summary>SHA-256 over the model file followed by each external data file, in order of first use.</summary>
    public string ComputeSha256()
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (string file in _externalFiles.Prepend(_path))
        {
            using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20);
            var buffer = new byte[1 << 20];
            int read;
            while ((read = stream.Read(buffer)) > 0) hash.AppendData(buffer, 0, read);
        }
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    public void Dispose()
    {
    }

    private void Walk(GraphProto graph, string prefix, int depth)
    {
        if (depth > MaxSubgraphDepth)
            throw new ModelFormatException(_path, prefix.TrimEnd('/'), $"subgraphs nest deeper than {MaxSubgraphDepth} levels.");
        foreach (TensorProto t in graph.Initializer) Add(prefix + t.Name, t);
        for (int i = 0; i < graph.Node.Count; i++)
        {
            NodeProto node = graph.Node[i];
            string nodeName = string.IsNullOrEmpty(node.Name) ? $"{node.OpType}#{i}" : node.Name;
            foreach (AttributeProto attribute in node.Attribute)
            {
                if (node.OpType == "Constant" && attribute.Name == "value" && attribute.T is not null)
                    Add(prefix + (node.Output.Count > 0 ? node.Output[0] : nodeName), attribute.T);
                if (attribute.G is not null) Walk(attribute.G, $"{prefix}{nodeName}/{attribute.Name}/", depth + 1);
                for (int g = 0; g < attribute.Graphs.Count; g++) Walk(attribute.Graphs[g], $"{prefix}{nodeName}/{attribute.Name}[{g}]/", depth + 1);
            }
        }
    }

    private void Add(string name, TensorProto tensor)
    {
        if (_tensors.Count >= MaxTensors) throw new ModelFormatException(_path, name, $"model holds more than {MaxTensors} tensors.");
        _tensors.Add(OnnxTensorInfo.Describe(_path, _folder, name, tensor, _externalFiles));
    }

    private torch.Tensor Load(OnnxTensorInfo info, torch.Device device, torch.ScalarType computeType)
    {
        byte[] bytes = info.ReadBytes(_path);
        return TensorData.ToTensor(bytes, info.DType, info.Shape, computeType, device);
    }

    private sealed class Entry(OnnxModelSource owner, OnnxTensorInfo info) : TensorEntry(info.Name, info.Shape, info.DType, info.StoredDType)
    {
        public override torch.Tensor Load(torch.Device device, torch.ScalarType computeType) => owner.Load(info, device, computeType);
    }
}
