using Google.Protobuf;
using Google.Protobuf.Reflection;
using SpectralGate.Engine.Sources.Onnx.Proto;

namespace SpectralGate.Engine.Sources.Onnx;

/// <summary>Where a tensor's <c>raw_data</c> lies in the model file, left unread until the tensor is loaded.</summary>
internal readonly record struct OnnxRawData(long Offset, long Length);

/// <summary>A top-level initializer: its TensorProto without <c>raw_data</c>, and where that lies.</summary>
internal sealed record OnnxStreamedTensor(TensorProto Tensor, OnnxRawData? Raw);

/// <summary>
/// Reads an ONNX ModelProto from a file stream with <see cref="CodedInputStream"/>, keeping the graph's nodes (and
/// with them <c>Constant</c> values and subgraphs, which are small) but skipping the <c>raw_data</c> of the main graph's
/// initializers, where the weights are: their offsets are recorded and the bytes read only when a tensor is loaded.
/// Peak memory is then the graph's structure plus one tensor, not the file.
/// </summary>
internal sealed class OnnxStreamingReader : IMessage
{
    private const int ModelGraph = 7;
    private const int GraphNode = 1, GraphInitializer = 5;

    private readonly Stream _file;

    private OnnxStreamingReader(Stream file) => _file = file;

    /// <summary>The main graph: its nodes, and no initializers (they are in <see cref="Initializers"/>).</summary>
    public GraphProto? Graph { get; private set; }

    public List<OnnxStreamedTensor> Initializers { get; } = [];

    /// <summary>Parses the model in <paramref name="stream"/>; <paramref name="file"/> is a second handle on the same file, to read length prefixes with.</summary>
    public static OnnxStreamingReader Read(Stream stream, Stream file, long length, int recursionLimit)
    {
        var reader = new OnnxStreamingReader(file);
        using var coded = CodedInputStream.CreateWithLimits(stream, (int)Math.Max(length, 1), recursionLimit);
        reader.MergeFrom(coded);
        return reader;
    }

    public void MergeFrom(CodedInputStream input)
    {
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            if (WireFormat.GetTagFieldNumber(tag) == ModelGraph && WireFormat.GetTagWireType(tag) == WireFormat.WireType.LengthDelimited)
            {
                // A message field seen twice merges in protobuf: nodes and initializers of both, as ParseFrom would hold them.
                Graph ??= new GraphProto();
                input.ReadMessage(new GraphReader(this, Graph));
            }
            else input.SkipLastField();
        }
    }

    /// <summary>The length prefix of the bytes field whose tag ends at <paramref name="position"/>, read from the file.</summary>
    private OnnxRawData RawAt(long position, long end)
    {
        _file.Position = position;
        long length = 0;
        int shift = 0, size = 0;
        while (true)
        {
            int b = _file.ReadByte();
            if (b < 0 || shift > 63) throw new InvalidDataException("raw_data has a malformed length.");
            length |= (long)(b & 0x7F) << shift;
            size++;
            if ((b & 0x80) == 0) break;
            shift += 7;
        }
        long offset = position + size;
        if (length < 0 || offset + length != end) throw new InvalidDataException("raw_data's length does not match the field.");
        return new OnnxRawData(offset, length);
    }

    private sealed class GraphReader(OnnxStreamingReader owner, GraphProto graph) : IMessage
    {

        public void MergeFrom(CodedInputStream input)
        {
            uint tag;
            while ((tag = input.ReadTag()) != 0)
            {
                bool message = WireFormat.GetTagWireType(tag) == WireFormat.WireType.LengthDelimited;
                switch (WireFormat.GetTagFieldNumber(tag))
                {
                    case GraphNode when message:
                        var node = new NodeProto();
                        input.ReadMessage(node);
                        graph.Node.Add(node);
                        break;
                    case GraphInitializer when message:
                        var tensor = new TensorReader(owner);
                        input.ReadMessage(tensor);
                        owner.Initializers.Add(new OnnxStreamedTensor(tensor.Tensor, tensor.Raw));
                        break;
                    default:
                        input.SkipLastField();
                        break;
                }
            }
        }

        public void WriteTo(CodedOutputStream output) => throw new NotSupportedException();
        public int CalculateSize() => throw new NotSupportedException();
        public MessageDescriptor Descriptor => throw new NotSupportedException();
    }

    /// <summary>A TensorProto field by field (onnx.proto's numbers), every field but <c>raw_data</c> kept as ParseFrom would.</summary>
    private sealed class TensorReader(OnnxStreamingReader owner) : IMessage
    {
        private static readonly FieldCodec<long> DimsCodec = FieldCodec.ForInt64(10);
        private static readonly FieldCodec<float> FloatCodec = FieldCodec.ForFloat(34);
        private static readonly FieldCodec<int> Int32Codec = FieldCodec.ForInt32(42);
        private static readonly FieldCodec<long> Int64Codec = FieldCodec.ForInt64(58);
        private static readonly FieldCodec<double> DoubleCodec = FieldCodec.ForDouble(82);
        private static readonly FieldCodec<ulong> UInt64Codec = FieldCodec.ForUInt64(90);

        public TensorProto Tensor { get; } = new();

        public OnnxRawData? Raw { get; private set; }

        public void MergeFrom(CodedInputStream input)
        {
            uint tag;
            while ((tag = input.ReadTag()) != 0)
            {
                switch (tag)
                {
                    case 8: case 10: Tensor.Dims.AddEntriesFrom(input, DimsCodec); break;
                    case 16: Tensor.DataType = input.ReadInt32(); break;
                    case 37: case 34: Tensor.FloatData.AddEntriesFrom(input, FloatCodec); break;
                    case 40: case 42: Tensor.Int32Data.AddEntriesFrom(input, Int32Codec); break;
                    case 56: case 58: Tensor.Int64Data.AddEntriesFrom(input, Int64Codec); break;
                    case 66: Tensor.Name = input.ReadString(); break;
                    case 74:
                        long start = input.Position;
                        input.SkipLastField();
                        Raw = owner.RawAt(start, input.Position);
                        Tensor.ClearRawData();
                        break;
                    case 81: case 82: Tensor.DoubleData.AddEntriesFrom(input, DoubleCodec); break;
                    case 88: case 90: Tensor.Uint64Data.AddEntriesFrom(input, UInt64Codec); break;
                    case 106:
                        var entry = new StringStringEntryProto();
                        input.ReadMessage(entry);
                        Tensor.ExternalData.Add(entry);
                        break;
                    case 112: Tensor.DataLocation = (TensorProto.Types.DataLocation)input.ReadEnum(); break;
                    default: input.SkipLastField(); break;
                }
            }
        }

        public void WriteTo(CodedOutputStream output) => throw new NotSupportedException();
        public int CalculateSize() => throw new NotSupportedException();
        public MessageDescriptor Descriptor => throw new NotSupportedException();
    }

    public void WriteTo(CodedOutputStream output) => throw new NotSupportedException();
    public int CalculateSize() => throw new NotSupportedException();
    public MessageDescriptor Descriptor => throw new NotSupportedException();
}
