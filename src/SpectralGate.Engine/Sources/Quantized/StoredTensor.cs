using SpectralGate.Engine.Errors;

namespace SpectralGate.Engine.Sources.Quantized;

/// <summary>
/// One tensor of a checkpoint as it is stored (raw bytes, the file's dtype name), for a quantized-weight decoder to
/// read. Reading is lazy: a decoder reads the tensors of one weight while it decodes it, and nothing else.
/// </summary>
public sealed class StoredTensor
{
    /// <summary>Tensors above this many bytes are not read into memory whole (packed weights of real layers are far smaller).</summary>
    public const long MaxBytes = int.MaxValue;

    private readonly Func<byte[]> _read;

    public StoredTensor(string file, string name, string dtype, long[] shape, long byteLength, Func<byte[]> read)
    {
        File = file;
        Name = name;
        DType = dtype;
        Shape = shape;
        ByteLength = byteLength;
        _read = read;
    }

    /// <summary>The file holding it (the shard, for a sharded checkpoint), named in errors.</summary>
    public string File { get; }

    public string Name { get; }

    /// <summary>The dtype as the file names it: <c>I32</c>, <c>F16</c>, <c>F8_E4M3</c>, ...</summary>
    public string DType { get; }

    public long[] Shape { get; }

    public long ByteLength { get; }

    public long ElementCount => Shape.Aggregate(1L, (a, b) => a * b);

    /// <summary>The stored bytes, little-endian, exactly <see cref="ByteLength"/> of them.</summary>
    public byte[] ReadBytes()
    {
        if (ByteLength > MaxBytes) throw Bad($"is {ByteLength} bytes; a quantized weight's tensors above 2 GiB are not read.");
        return _read();
    }

    /// <summary>An error about this tensor, naming its file.</summary>
    public ModelFormatException Bad(string problem) => new(File, Name, problem);

    public string ShapeText => "[" + string.Join(", ", Shape) + "]";

    public override string ToString() => $"{Name} {DType} {ShapeText}";
}
