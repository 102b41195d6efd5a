using System.Buffers.Binary;
using SpectralGate.Engine.Errors;
using SpectralGate.Engine.Sources.Onnx.Proto;
using TorchSharp;

namespace SpectralGate.Engine.Sources.Onnx;

/// <summary>One ONNX TensorProto, validated: shape, dtype, and where its bytes are (embedded or in an external file).</summary>
internal sealed class OnnxTensorInfo
{
    private readonly TensorProto _proto;
    private readonly OnnxRawData? _raw; // raw_data left in the model file by the streaming reader

    private OnnxTensorInfo(string name, long[] shape, TensorDType dtype, string stored, TensorProto proto, string? externalFile, long offset, long length,
        OnnxRawData? raw = null)
    {
        Name = name; Shape = shape; DType = dtype; StoredDType = stored; _proto = proto;
        ExternalFile = externalFile; Offset = offset; Length = length; _raw = raw;
        DataType = (TensorProto.Types.DataType)proto.DataType;
    }

    /// <summary>The element type as ONNX numbers it (integer types matter to dequantization).</summary>
    public TensorProto.Types.DataType DataType { get; }

    public string Name { get; }
    public long[] Shape { get; }
    public TensorDType DType { get; }
    public string StoredDType { get; }
    public string? ExternalFile { get; }
    public long Offset { get; }
    public long Length { get; }

    public static OnnxTensorInfo Describe(string path, string folder, string name, TensorProto t, List<string> externalFiles, OnnxRawData? raw = null)
    {
        var shape = t.Dims.ToArray();
        long elements = 1;
        foreach (long d in shape)
        {
            if (d < 0) throw new ModelFormatException(path, name, $"dimension {d} is negative.");
        }
        try { elements = TensorShape.CheckedElementCount(shape); }
        catch (OverflowException) { throw new ModelFormatException(path, name, $"shape [{string.Join(", ", shape)}] has an element count that overflows 64 bits."); }
        var (dtype, stored) = Map(t.DataType);
        int bits = dtype != TensorDType.Unsupported ? 8 * dtype.Size() : OnnxIntegerTypes.Bits((TensorProto.Types.DataType)t.DataType);
        if (bits == 0) return new OnnxTensorInfo(name, shape, dtype, stored, t, null, 0, 0);

        long bytes;
        try { bytes = checked(elements * bits + 7) / 8; } // 4-bit types pack two elements a byte, the last byte half used
        catch (OverflowException) { throw new ModelFormatException(path, name, "byte length overflows 64 bits."); }

        if (t.DataLocation == TensorProto.Types.DataLocation.External)
        {
            var entries = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var entry in t.ExternalData)
                if (!entries.TryAdd(entry.Key, entry.Value)) // found by fuzzing: a repeated key made ToDictionary throw
                    throw new ModelFormatException(path, name, $"external data names '{entry.Key}' twice.");
            if (!entries.TryGetValue("location", out string? location) || string.IsNullOrEmpty(location))
                throw new ModelFormatException(path, name, "external data has no 'location'.");
            if (Path.IsPathRooted(location) || location.Contains('\0'))
                throw new ModelFormatException(path, name, $"external data location '{location}' is absolute; it must be relative to the model's folder.");
            string full = Path.GetFullPath(Path.Combine(folder, location));
            if (!full.StartsWith(folder + Path.DirectorySeparatorChar, StringComparison.Ordinal))
                throw new ModelFormatException(path, name, $"external data location '{location}' leaves the model's folder.");
            long offset = Number(path, name, entries, "offset", 0);
            long length = Number(path, name, entries, "length", bytes);
            if (length != bytes)
                throw new ModelFormatException(path, name, $"external data length {length} does not match shape [{string.Join(", ", shape)}] of {stored} ({bytes} bytes).");
            if (!File.Exists(full)) throw new ModelFormatException(path, name, $"external data file '{location}' not found.");
            long fileLength = OpenedLength(path, name, full);
            if (offset > fileLength || length > fileLength - offset)
                throw new ModelFormatException(path, name, $"external data [{offset}, {offset + length}) runs past the end of '{location}' ({fileLength} bytes).");
            if (!externalFiles.Contains(full)) externalFiles.Add(full);
            return new OnnxTensorInfo(name, shape, dtype, stored, t, full, offset, length);
        }

        long embedded = raw is { } r ? r.Length : t.HasRawData ? t.RawData.Length : dtype switch
        {
            TensorDType.Float32 => 4L * t.FloatData.Count,
            TensorDType.Float64 => 8L * t.DoubleData.Count,
            TensorDType.Float16 or TensorDType.BFloat16 => 2L * t.Int32Data.Count, // bit patterns, one per int32
            _ => bits == 4 ? t.Int32Data.Count : bits / 8L * t.Int32Data.Count, // integers: one per int32, 4-bit ones a packed pair per int32
        };
        if (embedded != bytes)
            throw new ModelFormatException(path, name, $"holds {embedded} bytes of data but shape [{string.Join(", ", shape)}] of {stored} needs {bytes}.");
        return new OnnxTensorInfo(name, shape, dtype, stored, t, null, 0, bytes, raw);
    }

    /// <summary>The little-endian bytes of the tensor in its stored dtype.</summary>
    public byte[] ReadBytes(string modelPath)
    {
        if (Length > int.MaxValue) throw new ModelFormatException(modelPath, Name, $"tensor is {Length} bytes; above 2 GiB only float tensors in external data are read.");
        var data = new byte[Length];
        ReadInto(modelPath, data);
        return data;
    }

    /// <summary>The same bytes written into <paramref name="into"/> (exactly <see cref="Length"/> long), e.g. a tensor's own memory.</summary>
    public void ReadInto(string modelPath, Span<byte> into)
    {
        if (into.Length != Length) throw new ArgumentException($"expected a span of {Length} bytes, got {into.Length}.", nameof(into));
        if (ExternalFile is not null || _raw is not null)
        {
            string file = ExternalFile ?? modelPath;
            long offset = ExternalFile is not null ? Offset : _raw!.Value.Offset;
            try
            {
                using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read, 1);
                if (offset + Length > stream.Length)
                    throw new ModelFormatException(modelPath, Name, ExternalFile is not null ? "external data file shrank since the model was opened." : "model file shrank since it was opened.");
                stream.Seek(offset, SeekOrigin.Begin);
                stream.ReadExactly(into);
                return;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new ModelFormatException(modelPath, Name, $"{(ExternalFile is not null ? "external data" : "data")} cannot be read: {e.Message}", e);
            }
        }
        if (_proto.HasRawData)
        {
            _proto.RawData.Span.CopyTo(into);
            return;
        }
        switch (DType)
        {
            case TensorDType.Float32:
                for (int i = 0; i < _proto.FloatData.Count; i++) BinaryPrimitives.WriteSingleLittleEndian(into[(4 * i)..], _proto.FloatData[i]);
                break;
            case TensorDType.Float64:
                for (int i = 0; i < _proto.DoubleData.Count; i++) BinaryPrimitives.WriteDoubleLittleEndian(into[(8 * i)..], _proto.DoubleData[i]);
                break;
            case TensorDType.Float16 or TensorDType.BFloat16:
                for (int i = 0; i < _proto.Int32Data.Count; i++) BinaryPrimitives.WriteUInt16LittleEndian(into[(2 * i)..], (ushort)_proto.Int32Data[i]);
                break;
            default:
                OnnxIntegerTypes.WriteInt32Data(_proto.Int32Data, OnnxIntegerTypes.Bits(DataType), into);
                break;
        }
    }

    /// <summary>The length of the file as opened: through a symbolic link (a Hugging Face cache) FileInfo gives the link's own.</summary>
    private static long OpenedLength(string path, string name, string file)
    {
        try
        {
            using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read, 1);
            return stream.Length;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ModelFormatException(path, name, $"external data cannot be read: {e.Message}", e);
        }
    }

    /// <summary>
    /// External float data over 2 GiB (a byte[] holds less), memory-mapped and copied into the tensor in chunks.
    /// </summary>
    public unsafe torch.Tensor LoadMapped(string modelPath, torch.Device device, torch.ScalarType computeType)
    {
        try
        {
            using var map = System.IO.MemoryMappedFiles.MemoryMappedFile.CreateFromFile(ExternalFile!, FileMode.Open, null, 0, System.IO.MemoryMappedFiles.MemoryMappedFileAccess.Read);
            using var view = map.CreateViewAccessor(Offset, Length, System.IO.MemoryMappedFiles.MemoryMappedFileAccess.Read);
            byte* pointer = null;
            view.SafeMemoryMappedViewHandle.AcquirePointer(ref pointer);
            try
            {
                return ChunkedTensorData.ToTensor(pointer + view.PointerOffset, Length, DType, Shape, computeType, device);
            }
            finally
            {
                view.SafeMemoryMappedViewHandle.ReleasePointer();
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentOutOfRangeException)
        {
            throw new ModelFormatException(modelPath, Name, $"external data cannot be read (the file shrank since the model was opened?): {e.Message}", e);
        }
    }

    private static long Number(string path, string name, Dictionary<string, string> entries, string key, long fallback)
    {
        if (!entries.TryGetValue(key, out string? text)) return fallback;
        return long.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out long v)
            ? v
            : throw new ModelFormatException(path, name, $"external data {key} '{text}' is not a non-negative integer.");
    }

    private static (TensorDType, string) Map(int dataType) => (TensorProto.Types.DataType)dataType switch
    {
        TensorProto.Types.DataType.Float => (TensorDType.Float32, "FLOAT"),
        TensorProto.Types.DataType.Double => (TensorDType.Float64, "DOUBLE"),
        TensorProto.Types.DataType.Float16 => (TensorDType.Float16, "FLOAT16"),
        TensorProto.Types.DataType.Bfloat16 => (TensorDType.BFloat16, "BFLOAT16"),
        var other => (TensorDType.Unsupported, other.ToString().ToUpperInvariant()),
    };
}
