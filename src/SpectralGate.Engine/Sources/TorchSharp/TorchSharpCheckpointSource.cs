using System.Text;
using SpectralGate.Engine.Errors;
using TorchSharp;

namespace SpectralGate.Engine.Sources.TorchSharp;

/// <summary>
/// A checkpoint written by TorchSharp's <c>Module.save</c>, read without the module class. The format (TorchSharp
/// <c>Module.save</c> / <c>TensorExtensionMethods.Save</c>): LEB128 entry count, then per entry a BinaryWriter string
/// (LEB128 byte length + UTF-8 name), LEB128 scalar type, LEB128 rank, LEB128 dims, and the raw little-endian
/// elements. The file is scanned once for names, shapes and offsets; data is read only when an entry is loaded.
/// </summary>
public sealed class TorchSharpCheckpointSource : ITensorSource
{
    public const int MaxNameBytes = 64 * 1024;
    public const int MaxRank = 16;

    private readonly string _path;
    private readonly List<(string Name, long[] Shape, TensorDType DType, string Stored, long Offset, long Length)> _entries = [];

    public TorchSharpCheckpointSource(string path)
    {
        _path = path;
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
            Scan(stream);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ModelFormatException(path, null, e is FileNotFoundException or DirectoryNotFoundException ? "file not found." : $"cannot be read: {e.Message}", e);
        }
    }

    public string Description => _path;

    public string Format => "torchsharp";

    public IEnumerable<TensorEntry> Tensors => _entries.Select(e => (TensorEntry)new Entry(this, e.Name, e.Shape, e.DType, e.Stored, e.Offset, e.Length));

    public string ComputeSha256() => FileSha256.Of(_path);


    public bool HashesFilesIndependently => true;

    public void Dispose()
    {
    }

    private void Scan(FileStream stream)
    {
        long length = stream.Length;
        long count = ReadLeb128(stream, null, "entry count");
        // Each entry takes at least 4 bytes (name length, type, rank, one byte of name or data); a larger count is corrupt.
        if (count < 0 || count > length / 4 + 1)
            throw new ModelFormatException(_path, null, $"entry count {count} is impossible for a {length}-byte file; not a TorchSharp Module.save file?");
        for (long i = 0; i < count; i++)
        {
            long nameLength = ReadLeb128(stream, null, $"name length of entry {i}");
            if (nameLength <= 0 || nameLength > MaxNameBytes || stream.Position + nameLength > length)
                throw new ModelFormatException(_path, null, $"entry {i} has a name of {nameLength} bytes, which does not fit; truncated or not a TorchSharp Module.save file?");
            var nameBytes = new byte[nameLength];
            stream.ReadExactly(nameBytes);
            string name;
            try { name = new UTF8Encoding(false, true).GetString(nameBytes); }
            catch (DecoderFallbackException) { throw new ModelFormatException(_path, null, $"entry {i} has a name that is not UTF-8."); }

            long type = ReadLeb128(stream, name, "scalar type");
            long rank = ReadLeb128(stream, name, "rank");
            if (rank < 0 || rank > MaxRank) throw new ModelFormatException(_path, name, $"rank {rank} is outside 0..{MaxRank}.");
            var shape = new long[rank];
            long elements = 1;
            for (int d = 0; d < rank; d++)
            {
                shape[d] = ReadLeb128(stream, name, "dimension");
                if (shape[d] < 0) throw new ModelFormatException(_path, name, $"dimension {shape[d]} is negative.");
                try { elements = TensorShape.CheckedElementCount(shape.AsSpan(0, d + 1)); }
                catch (OverflowException) { throw new ModelFormatException(_path, name, $"shape [{string.Join(", ", shape.Take(d + 1))}...] has an element count that overflows 64 bits."); }
            }
            (TensorDType dtype, int size, string stored) = Map(type);
            if (size == 0) throw new ModelFormatException(_path, name, $"scalar type code {type} is not one TorchSharp saves.");
            long bytes;
            try { bytes = checked(elements * size); }
            catch (OverflowException) { throw new ModelFormatException(_path, name, "byte length overflows 64 bits."); }
            if (bytes > length - stream.Position)
                throw new ModelFormatException(_path, name, $"needs {bytes} bytes of data but only {length - stream.Position} remain (truncated?).");
            _entries.Add((name, shape, dtype, stored, stream.Position, bytes));
            stream.Seek(bytes, SeekOrigin.Current);
        }
        if (stream.Position != length)
            throw new ModelFormatException(_path, null, $"{length - stream.Position} bytes follow the last tensor; not a TorchSharp Module.save file?");
    }

    /// <summary>TorchSharp ScalarType codes (same as c10's) with element sizes; only the floating ones are analysed.</summary>
    private static (TensorDType, int, string) Map(long code) => code switch
    {
        0 => (TensorDType.Unsupported, 1, "Byte"),
        1 => (TensorDType.Unsupported, 1, "Int8"),
        2 => (TensorDType.Unsupported, 2, "Int16"),
        3 => (TensorDType.Unsupported, 4, "Int32"),
        4 => (TensorDType.Unsupported, 8, "Int64"),
        5 => (TensorDType.Float16, 2, "Float16"),
        6 => (TensorDType.Float32, 4, "Float32"),
        7 => (TensorDType.Float64, 8, "Float64"),
        9 => (TensorDType.Unsupported, 8, "ComplexFloat32"),
        10 => (TensorDType.Unsupported, 16, "ComplexFloat64"),
        11 => (TensorDType.Unsupported, 1, "Bool"),
        15 => (TensorDType.BFloat16, 2, "BFloat16"),
        _ => (TensorDType.Unsupported, 0, $"code {code}"),
    };

    private long ReadLeb128(FileStream stream, string? layer, string what)
    {
        long value = 0;
        for (int shift = 0; shift < 63; shift += 7)
        {
            int b = stream.ReadByte();
            if (b < 0) throw new ModelFormatException(_path, layer, $"file ends inside the {what} (truncated?).");
            value |= (long)(b & 0x7f) << shift;
            if ((b & 0x80) == 0) return value;
        }
        throw new ModelFormatException(_path, layer, $"the {what} is not a valid 7-bit encoded integer.");
    }

    private torch.Tensor Load(string name, long[] shape, TensorDType dtype, long offset, long length, torch.Device device, torch.ScalarType computeType)
    {
        if (length > int.MaxValue) throw new ModelFormatException(_path, name, $"tensor is {length} bytes; tensors above 2 GiB are not supported.");
        try
        {
            using var stream = new FileStream(_path, FileMode.Open, FileAccess.Read, FileShare.Read);
            if (offset + length > stream.Length) throw new ModelFormatException(_path, name, "file shrank since it was opened.");
            stream.Seek(offset, SeekOrigin.Begin);
            var bytes = new byte[length];
            stream.ReadExactly(bytes);
            return TensorData.ToTensor(bytes, dtype, shape, computeType, device);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ModelFormatException(_path, name, $"data cannot be read: {e.Message}", e);
        }
    }

    private sealed class Entry(TorchSharpCheckpointSource owner, string name, long[] shape, TensorDType dtype, string stored, long offset, long length)
        : TensorEntry(name, shape, dtype, stored)
    {
        public override torch.Tensor Load(torch.Device device, torch.ScalarType computeType) =>
            owner.Load(Name, Shape, DType, offset, length, device, computeType);
    }
}
