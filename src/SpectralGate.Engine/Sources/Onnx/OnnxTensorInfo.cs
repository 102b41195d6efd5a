using System.Buffers.Binary;
using SpectralGate.Engine.Errors;
using SpectralGate.Engine.Sources.Onnx.Proto;

namespace SpectralGate.Engine.Sources.Onnx;

/// <summary>One ONNX TensorProto, validated: shape, dtype, and where its bytes are (embedded or in an external file).</summary>
internal sealed class OnnxTensorInfo
{
    private readonly TensorProto _proto;

    private OnnxTensorInfo(string name, long[] shape, TensorDType dtype, string stored, TensorProto proto, string? externalFile, long offset, long length)
    {
        Name = name; Shape = shape; DType = dtype; StoredDType = stored; _proto = proto;
        ExternalFile = externalFile; Offset = offset; Length = length;
    }

    public string Name { get; }
    public long[] Shape { get; }
    public TensorDType DType { get; }
    public string StoredDType { get; }
    public string? ExternalFile { get; }
    public long Offset { get; }
    public long Length { get; }

    public static OnnxTensorInfo Describe(string path, string folder, string name, TensorProto t, List<string> externalFiles)
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
        int size = dtype.Size();
        if (size == 0) return new OnnxTensorInfo(name, shape, dtype, stored, t, null, 0, 0);

        long bytes;
        try { bytes = checked(elements * size); }
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
            var file = new FileInfo(full);
            if (!file.Exists) throw new ModelFormatException(path, name, $"external data file '{location}' not found.");
            if (offset > file.Length || length > file.Length - offset)
                throw new ModelFormatException(path, name, $"external data [{offset}, {offset + length}) runs past the end of '{location}' ({file.Length} bytes).");
            if (!externalFiles.Contains(full)) externalFiles.Add(full);
            return new OnnxTensorInfo(name, shape, dtype, stored, t, full, offset, length);
        }

        long embedded = t.HasRawData ? t.RawData.Length : dtype switch
        {
            TensorDType.Float32 => 4L * t.FloatData.Count,
            TensorDType.Float64 => 8L * t.DoubleData.Count,
            _ => 2L * t.Int32Data.Count, // float16 / bfloat16 bit patterns, one per int32
        };
        if (embedded != bytes)
            throw new ModelFormatException(path, name, $"holds {embedded} bytes of data but shape [{string.Join(", ", shape)}] of {stored} needs {bytes}.");
        return new OnnxTensorInfo(name, shape, dtype, stored, t, null, 0, bytes);
    }

    /// <summary>The little-endian bytes of the tensor in its stored dtype.</summary>
    public byte[] ReadBytes(string modelPath)
    {
        if (Length > int.MaxValue) throw new ModelFormatException(modelPath, Name, $"tensor is {Length} bytes; tensors above 2 GiB are not supported.");
        if (ExternalFile is not null)
        {
            try
            {
                using var stream = new FileStream(ExternalFile, FileMode.Open, FileAccess.Read, FileShare.Read);
                if (Offset + Length > stream.Length) throw new ModelFormatException(modelPath, Name, "external data file shrank since the model was opened.");
                stream.Seek(Offset, SeekOrigin.Begin);
                var data = new byte[Length];
                stream.ReadExactly(data);
                return data;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new ModelFormatException(modelPath, Name, $"external data cannot be read: {e.Message}", e);
            }
        }
        if (_proto.HasRawData) return _proto.RawData.ToByteArray();
        var bytes = new byte[Length];
        switch (DType)
        {
            case TensorDType.Float32:
                for (int i = 0; i < _proto.FloatData.Count; i++) BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(4 * i), _proto.FloatData[i]);
                break;
            case TensorDType.Float64:
                for (int i = 0; i < _proto.DoubleData.Count; i++) BinaryPrimitives.WriteDoubleLittleEndian(bytes.AsSpan(8 * i), _proto.DoubleData[i]);
                break;
            default:
                for (int i = 0; i < _proto.Int32Data.Count; i++) BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(2 * i), (ushort)_proto.Int32Data[i]);
                break;
        }
        return bytes;
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
