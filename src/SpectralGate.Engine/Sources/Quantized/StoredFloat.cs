namespace SpectralGate.Engine.Sources.Quantized;

/// <summary>
/// The float type a library stores its dequantized weight in: decoders compute in float32 as the library does, then
/// round to this type (round to nearest even) so the values equal the library's own tensor bit for bit.
/// </summary>
public enum StoredFloat
{
    Float32,
    Float16,
    BFloat16,
}

public static class StoredFloatExtensions
{
    public static float Round(this StoredFloat type, float value) => type switch
    {
        StoredFloat.Float16 => (float)(Half)value,
        StoredFloat.BFloat16 => TensorData.BFloat16ToSingle(TensorData.SingleToBFloat16(value)),
        _ => value,
    };

    /// <summary>A torch dtype name as configs write it (<c>float16</c>, <c>torch.bfloat16</c>, <c>F16</c>), or null.</summary>
    public static StoredFloat? Parse(string? name) => name?.Replace("torch.", "", StringComparison.Ordinal).ToLowerInvariant() switch
    {
        "float32" or "float" or "f32" => StoredFloat.Float32,
        "float16" or "half" or "f16" => StoredFloat.Float16,
        "bfloat16" or "bf16" => StoredFloat.BFloat16,
        _ => null,
    };
}
