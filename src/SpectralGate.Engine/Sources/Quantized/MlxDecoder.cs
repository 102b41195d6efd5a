using System.Text.Json;

namespace SpectralGate.Engine.Sources.Quantized;

/// <summary>
/// MLX quantized checkpoints (mlx-lm; <c>config.json</c> <c>"quantization": {"group_size": 64, "bits": 4}</c>, possibly
/// with per-module entries <c>"model.layers.0.mlp.down_proj": {"group_size": 32, "bits": 8}</c>, and mlx-lm's copy of it as
/// a <c>quantization_config</c> without <c>quant_method</c>): <c>X.weight</c> U32 <c>[..., rows, cols·bits/32]</c> with
/// <c>X.scales</c> and <c>X.biases</c> <c>[..., rows, cols/group]</c>, decoded by <see cref="MlxDequantizer"/> (leading axes,
/// as in <c>SwitchLinear</c> experts, kept). Modes other than <c>affine</c> (<c>mxfp4</c>, <c>nvfp4</c>, <c>mxfp8</c>) are
/// listed as not decoded.
/// </summary>
public sealed class MlxDecoder : IQuantizedWeightDecoder
{
    public IEnumerable<QuantizedWeight> Find(QuantizedCheckpoint checkpoint)
    {
        var layout = checkpoint.Layout;
        if (layout is null || !IsMlx(layout)) yield break;
        foreach (var t in checkpoint.Tensors.ToList())
        {
            if (checkpoint.IsClaimed(t.Name) || QuantizationParameterNames.LastSegment(t.Name) != "weight" || t.DType is not ("U32" or "I32")) continue;
            string module = QuantizationParameterNames.Module(t.Name);
            StoredTensor? scales = checkpoint.Unclaimed(QuantizationParameterNames.Join(module, "scales"));
            if (scales is null) continue;
            StoredTensor? biases = checkpoint.Unclaimed(QuantizationParameterNames.Join(module, "biases"));
            var parameters = new[] { scales, biases }.OfType<StoredTensor>().ToList();
            var settings = layout.Settings.TryGetProperty(module, out var own) && own.ValueKind == JsonValueKind.Object ? own : layout.Settings;
            long bits = layout.Integer(settings, "bits", layout.Integer("bits", 4));
            long group = layout.Integer(settings, "group_size", layout.Integer("group_size", 64));
            string mode = layout.Text(settings, "mode", layout.Text("mode", "affine"))!;
            if (t.Shape.Length < 2) throw t.Bad($"is {t.ShapeText}; an MLX quantized weight is [rows, cols*bits/32].");
            long[] lead = t.Shape[..^1];
            if (mode != "affine")
            {
                yield return new UndecodedWeight(t.Name, t.Shape, "MLX", $"MLX {mode}", t, parameters, $"MLX mode '{mode}' is not decoded (affine is)");
                continue;
            }
            if (!MlxDequantizer.Bits.Contains((int)bits)) throw layout.Bad(t.Name, $"bits {bits} is not one MLX writes ({string.Join(", ", MlxDequantizer.Bits)}).");
            if (!MlxDequantizer.GroupSizes.Contains((int)group)) throw layout.Bad(t.Name, $"group_size {group} is not one MLX writes ({string.Join(", ", MlxDequantizer.GroupSizes)}).");
            if (biases is null) throw t.Bad($"has no '{QuantizationParameterNames.Join(module, "biases")}'; affine MLX weights have one bias per group.");
            long cols = t.Shape[^1] * 32 / bits;
            if (cols % group != 0) throw t.Bad($"is {t.ShapeText}: {cols} columns of {bits} bits are not a whole number of groups of {group}.");
            long[] scaleShape = [.. lead, cols / group];
            QuantizedParameters.ExpectShape(scales, scaleShape, $"{cols} columns in groups of {group}");
            QuantizedParameters.ExpectShape(biases, scaleShape, $"{cols} columns in groups of {group}");
            QuantizedParameters.ExpectDType(scales, "an MLX scale", "F16", "BF16", "F32");
            QuantizedParameters.ExpectDType(biases, "an MLX bias", "F16", "BF16", "F32");
            yield return new MlxWeight(t.Name, [.. lead, cols], t, scales, biases, (int)bits, (int)group, parameters);
        }
    }

    /// <summary>mlx-lm's <c>quantization</c> object, or its copy as a <c>quantization_config</c> that names no method.</summary>
    private static bool IsMlx(QuantizationLayout layout) =>
        layout.Method == "mlx" || (layout.Method == "unknown" && layout.Settings.TryGetProperty("bits", out _) && layout.Settings.TryGetProperty("group_size", out _));

    private sealed class MlxWeight(string name, long[] shape, StoredTensor packed, StoredTensor scales, StoredTensor biases, int bits, int group, IReadOnlyList<StoredTensor> parameters)
        : QuantizedWeight(name, shape, QuantizedValues.DTypeOf(scales), "MLX", $"MLX {bits}-bit, group {group}", packed, parameters)
    {
        public override void Decode(Span<float> destination)
        {
            long rows = Shape[..^1].Aggregate(1L, (a, b) => a * b);
            try
            {
                MlxDequantizer.Decode(Packed.ReadBytes(), QuantizedParameters.Singles(scales), QuantizedParameters.Singles(biases),
                    QuantizedParameters.Int(Packed, rows), QuantizedParameters.Int(Packed, Shape[^1]), bits, group, destination, DType);
            }
            catch (ArgumentException e) { throw Packed.Bad(e.Message); }
        }
    }
}
