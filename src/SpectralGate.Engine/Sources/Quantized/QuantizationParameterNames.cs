namespace SpectralGate.Engine.Sources.Quantized;

/// <summary>
/// The name suffixes quantization libraries give the tensors beside a quantized weight, and the dtypes only a
/// quantized weight has: what makes a checkpoint worth looking at for quantization when no configuration says so.
/// </summary>
public static class QuantizationParameterNames
{
    /// <summary>
    /// Last name segments of parameters, with the sibling holding their weight: AutoGPTQ/AutoAWQ (<c>qweight</c>,
    /// <c>qzeros</c>, <c>scales</c>, <c>g_idx</c>), compressed-tensors, FP8 (<c>weight_scale_inv</c>), ModelOpt, MLX
    /// (<c>scales</c>, <c>biases</c>), bitsandbytes 8-bit (<c>SCB</c>, <c>weight_format</c>).
    /// </summary>
    public static IReadOnlyList<string> Suffixes { get; } =
    [
        "qzeros", "scales", "g_idx", "biases",
        "weight_scale", "weight_scale_inv", "weight_zero_point", "weight_shape", "weight_g_idx", "weight_global_scale", "weight_scale_2",
        "input_scale", "input_global_scale", "input_zero_point", "output_scale", "output_zero_point", "activation_scale", "k_scale", "v_scale",
        "SCB", "weight_format",
    ];

    /// <summary>Last name segments of packed weights: the tensor a quantized weight's decoded matrix replaces.</summary>
    public static IReadOnlyList<string> PackedWeights { get; } = ["qweight", "weight_packed", "weight"];

    /// <summary>Dtypes a float weight is never stored in unless quantized: 8-bit and 4-bit floats.</summary>
    public static bool IsQuantizedFloat(string dtype) => dtype is "F8_E4M3" or "F8_E5M2" or "F8_E8M0" or "F4" or "F6_E2M3" or "F6_E3M2";

    /// <summary>True when a tensor's name ends in a parameter or packed-weight segment other than a plain <c>weight</c>.</summary>
    public static bool LooksQuantized(string name, string dtype)
    {
        if (IsQuantizedFloat(dtype)) return true;
        string last = LastSegment(name);
        return last == "qweight" || last == "weight_packed" || Suffixes.Contains(last)
            || (name.Contains(".weight.", StringComparison.Ordinal) && (last is "absmax" or "quant_map" or "nested_absmax" or "nested_quant_map" || name.Contains(".weight.quant_state.", StringComparison.Ordinal)))
            || last.EndsWith("_blocks", StringComparison.Ordinal);
    }

    /// <summary>The name's module (everything before the last dot), or empty.</summary>
    public static string Module(string name) => name.LastIndexOf('.') is int i and >= 0 ? name[..i] : "";

    public static string LastSegment(string name) => name.LastIndexOf('.') is int i and >= 0 ? name[(i + 1)..] : name;

    /// <summary><paramref name="module"/>.<paramref name="segment"/>, or the segment alone for a top-level tensor.</summary>
    public static string Join(string module, string segment) => module.Length == 0 ? segment : module + "." + segment;
}
