using System.Text;
using System.Text.Json;
using SpectralGate.Engine.Errors;

namespace SpectralGate.Engine.Sources.Safetensors;

/// <summary>One tensor as a safetensors header describes it; offsets are relative to the start of the data section.</summary>
internal sealed record SafetensorsTensorInfo(string Name, string StoredDType, TensorDType DType, long[] Shape, long Begin, long End);

/// <summary>
/// Parses and validates a safetensors header the way the reference implementation (huggingface/safetensors,
/// <c>Metadata::validate</c>) does: bounded header length, UTF-8 JSON object, known dtypes, offsets in bounds,
/// contiguous and non-overlapping from 0 to the end of the file, and shape x dtype size == byte length.
/// </summary>
internal static class SafetensorsHeader
{
    /// <summary>The reference implementation's MAX_HEADER_SIZE.</summary>
    public const long MaxHeaderSize = 100_000_000;

    /// <summary>Tensor rank above which a header is taken as corrupt rather than as a model.</summary>
    public const int MaxRank = 16;

    public static (IReadOnlyList<SafetensorsTensorInfo> Tensors, long DataStart) Read(string path, Stream stream)
    {
        long fileLength = stream.Length;
        if (fileLength < 8)
            throw new ModelFormatException(path, null, $"file is {fileLength} bytes, too short for a safetensors header length (8 bytes).");
        Span<byte> prefix = stackalloc byte[8];
        stream.ReadExactly(prefix);
        ulong headerLength = BitConverter.ToUInt64(prefix);
        if (headerLength > MaxHeaderSize)
            throw new ModelFormatException(path, null, $"header length {headerLength} exceeds the {MaxHeaderSize}-byte limit of the safetensors format.");
        if ((long)headerLength > fileLength - 8)
            throw new ModelFormatException(path, null, $"header length {headerLength} runs past the end of the {fileLength}-byte file (truncated?).");

        var header = new byte[headerLength];
        stream.ReadExactly(header);
        long dataStart = 8 + (long)headerLength;
        var tensors = Parse(path, header);
        Validate(path, tensors, fileLength - dataStart);
        return (tensors, dataStart);
    }

    private static List<SafetensorsTensorInfo> Parse(string path, byte[] header)
    {
        JsonDocument doc;
        try
        {
            // Strict UTF-8: invalid sequences are errors, not replacement characters.
            _ = new UTF8Encoding(false, true).GetCharCount(header);
            doc = JsonDocument.Parse(header, new JsonDocumentOptions { MaxDepth = 8 });
        }
        catch (Exception e) when (e is JsonException or DecoderFallbackException or ArgumentException)
        {
            throw new ModelFormatException(path, null, $"header is not valid UTF-8 JSON: {e.Message}", e);
        }

        using (doc)
        {
            if (doc.RootElement.ValueKind != JsonValueKind.Object)
                throw new ModelFormatException(path, null, "header is not a JSON object.");
            var result = new List<SafetensorsTensorInfo>();
            foreach (JsonProperty property in doc.RootElement.EnumerateObject())
            {
                if (property.Name == "__metadata__") continue;
                result.Add(ParseTensor(path, property.Name, property.Value));
            }
            return result;
        }
    }

    private static SafetensorsTensorInfo ParseTensor(string path, string name, JsonElement e)
    {
        if (e.ValueKind != JsonValueKind.Object)
            throw new ModelFormatException(path, name, "header entry is not an object.");
        if (!e.TryGetProperty("dtype", out var dtypeElement) || dtypeElement.ValueKind != JsonValueKind.String)
            throw new ModelFormatException(path, name, "header entry has no string 'dtype'.");
        if (!e.TryGetProperty("shape", out var shapeElement) || shapeElement.ValueKind != JsonValueKind.Array)
            throw new ModelFormatException(path, name, "header entry has no 'shape' array.");
        if (!e.TryGetProperty("data_offsets", out var offsetsElement) || offsetsElement.ValueKind != JsonValueKind.Array || offsetsElement.GetArrayLength() != 2)
            throw new ModelFormatException(path, name, "header entry has no 'data_offsets' pair.");

        string stored = dtypeElement.GetString()!;
        if (!StoredDTypes.TryGetValue(stored, out var known))
            throw new ModelFormatException(path, name, $"unknown dtype '{stored}'.");

        if (shapeElement.GetArrayLength() > MaxRank)
            throw new ModelFormatException(path, name, $"rank {shapeElement.GetArrayLength()} is above {MaxRank}.");
        var shape = new long[shapeElement.GetArrayLength()];
        int i = 0;
        foreach (JsonElement d in shapeElement.EnumerateArray())
        {
            if (d.ValueKind != JsonValueKind.Number || !d.TryGetInt64(out long dim) || dim < 0)
                throw new ModelFormatException(path, name, $"shape entry {d} is not a non-negative integer.");
            shape[i++] = dim;
        }

        long[] offsets = new long[2];
        i = 0;
        foreach (JsonElement o in offsetsElement.EnumerateArray())
        {
            if (o.ValueKind != JsonValueKind.Number || !o.TryGetInt64(out long v) || v < 0)
                throw new ModelFormatException(path, name, $"data offset {o} is not a non-negative integer.");
            offsets[i++] = v;
        }
        return new SafetensorsTensorInfo(name, stored, known.DType, shape, offsets[0], offsets[1]);
    }

    private static void Validate(string path, List<SafetensorsTensorInfo> tensors, long dataLength)
    {
        long expectedBegin = 0;
        foreach (var t in tensors.OrderBy(t => t.Begin).ThenBy(t => t.End))
        {
            if (t.Begin != expectedBegin)
                throw new ModelFormatException(path, t.Name, t.Begin < expectedBegin
                    ? $"data offsets [{t.Begin}, {t.End}) overlap the previous tensor (which ends at {expectedBegin})."
                    : $"data offsets [{t.Begin}, {t.End}) leave a gap after {expectedBegin}; tensors must be contiguous.");
            if (t.End < t.Begin)
                throw new ModelFormatException(path, t.Name, $"data offsets [{t.Begin}, {t.End}) end before they begin.");

            long elements = 1;
            try
            {
                elements = TensorShape.CheckedElementCount(t.Shape);
                long bytes = checked(elements * StoredDTypes[t.StoredDType].Size);
                if (bytes != t.End - t.Begin)
                    throw new ModelFormatException(path, t.Name, $"shape [{string.Join(", ", t.Shape)}] of {t.StoredDType} needs {bytes} bytes but data_offsets span {t.End - t.Begin}.");
            }
            catch (OverflowException)
            {
                throw new ModelFormatException(path, t.Name, $"shape [{string.Join(", ", t.Shape)}] has an element count that overflows 64 bits.");
            }
            if (t.End > dataLength)
                throw new ModelFormatException(path, t.Name, $"data offsets [{t.Begin}, {t.End}) run past the {dataLength}-byte data section (truncated?).");
            expectedBegin = t.End;
        }
        if (expectedBegin != dataLength)
            throw new ModelFormatException(path, null, $"data section is {dataLength} bytes but the tensors cover {expectedBegin}; the file has trailing bytes or is incomplete.");
    }

    /// <summary>Every dtype the format defines, with its element size; only the floating ones are analysed.</summary>
    private static readonly Dictionary<string, (TensorDType DType, int Size)> StoredDTypes = new()
    {
        ["F64"] = (TensorDType.Float64, 8),
        ["F32"] = (TensorDType.Float32, 4),
        ["F16"] = (TensorDType.Float16, 2),
        ["BF16"] = (TensorDType.BFloat16, 2),
        ["F8_E4M3"] = (TensorDType.Unsupported, 1),
        ["F8_E5M2"] = (TensorDType.Unsupported, 1),
        ["I64"] = (TensorDType.Unsupported, 8),
        ["U64"] = (TensorDType.Unsupported, 8),
        ["I32"] = (TensorDType.Unsupported, 4),
        ["U32"] = (TensorDType.Unsupported, 4),
        ["I16"] = (TensorDType.Unsupported, 2),
        ["U16"] = (TensorDType.Unsupported, 2),
        ["I8"] = (TensorDType.Unsupported, 1),
        ["U8"] = (TensorDType.Unsupported, 1),
        ["BOOL"] = (TensorDType.Unsupported, 1),
        ["C64"] = (TensorDType.Unsupported, 8),
    };
}
