using System.Text.Json;

namespace SpectralGate.Engine.Sources.Quantized;

/// <summary>
/// The non-tensor half of a bitsandbytes 4-bit <c>QuantState</c>, stored as the U8 tensor
/// <c>weight.quant_state.bitsandbytes__nf4</c> (or <c>__fp4</c>) holding JSON (bitsandbytes/functional.py
/// <c>QuantState.as_dict(packed=True)</c> / <c>from_dict</c>): <c>quant_type</c>, <c>blocksize</c>, <c>dtype</c>, <c>shape</c>,
/// and with double quantization <c>nested_blocksize</c>, <c>nested_dtype</c>, <c>nested_offset</c>.
/// </summary>
public sealed record BitsAndBytesQuantState(string QuantType, int BlockSize, string Dtype, long[] Shape, int? NestedBlockSize, float? NestedOffset)
{
    public bool Nested => NestedBlockSize is not null;

    /// <summary>The float type <c>dequantize_4bit</c> writes (<c>quant_state.dtype</c>).</summary>
    public TensorDType StoredType => StoredTypeOf(Dtype) ?? TensorDType.Float32;

    private static TensorDType? StoredTypeOf(string dtype) => dtype.Replace("torch.", "", StringComparison.Ordinal) switch
    {
        "float32" => TensorDType.Float32,
        "float16" => TensorDType.Float16,
        "bfloat16" => TensorDType.BFloat16,
        _ => null,
    };

    /// <summary>Parses the JSON bytes; throws <see cref="ArgumentException"/> saying what is missing or wrong.</summary>
    public static BitsAndBytesQuantState Parse(ReadOnlySpan<byte> json)
    {
        JsonElement root;
        try
        {
            using var document = JsonDocument.Parse(json.ToArray());
            root = document.RootElement.Clone();
        }
        catch (JsonException e)
        {
            throw new ArgumentException($"quant_state is not valid JSON: {e.Message}");
        }
        if (root.ValueKind != JsonValueKind.Object) throw new ArgumentException("quant_state is not a JSON object.");
        string type = root.TryGetProperty("quant_type", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString()! : throw new ArgumentException("quant_state has no 'quant_type'.");
        if (type is not ("nf4" or "fp4")) throw new ArgumentException($"quant_state quant_type '{type}' is neither nf4 nor fp4.");
        int blockSize = PositiveInt(root, "blocksize") ?? throw new ArgumentException("quant_state has no positive 'blocksize'.");
        string dtype = root.TryGetProperty("dtype", out var d) && d.ValueKind == JsonValueKind.String ? d.GetString()! : "float32";
        if (StoredTypeOf(dtype) is null) throw new ArgumentException($"quant_state dtype '{dtype}' is not float32, float16 or bfloat16.");
        if (!root.TryGetProperty("shape", out var s) || s.ValueKind != JsonValueKind.Array) throw new ArgumentException("quant_state has no 'shape'.");
        var shape = new List<long>();
        foreach (var dim in s.EnumerateArray())
            shape.Add(dim.TryGetInt64(out long n) && n >= 0 ? n : throw new ArgumentException($"quant_state shape has a dimension that is not a non-negative integer: {dim}."));
        int? nested = root.TryGetProperty("nested_blocksize", out _) ? PositiveInt(root, "nested_blocksize") ?? throw new ArgumentException("quant_state 'nested_blocksize' is not a positive integer.") : null;
        float? offset = nested is null ? null
            : root.TryGetProperty("nested_offset", out var o) && o.ValueKind == JsonValueKind.Number ? (float)o.GetDouble() : throw new ArgumentException("quant_state is nested but has no numeric 'nested_offset'.");
        return new BitsAndBytesQuantState(type, blockSize, dtype, shape.ToArray(), nested, offset);
    }

    private static int? PositiveInt(JsonElement root, string name) =>
        root.TryGetProperty(name, out var v) && v.TryGetInt32(out int n) && n > 0 ? n : null;
}
