namespace SpectralGate.Engine.Sources.Quantized;

/// <summary>
/// Weights stored as 8-bit floats (<c>F8_E4M3</c>, <c>F8_E5M2</c>), alone or with a scale beside them, multiplied in:
/// <list type="bullet">
/// <item>transformers FP8 (DeepSeek-V3, Qwen3-FP8; <c>quant_method: fp8</c>, <c>weight_block_size: [128, 128]</c>):
/// <c>weight_scale_inv</c> F32 <c>[ceil(out/128), ceil(in/128)]</c>, W[i,j] = w[i,j] · scale_inv[i/128, j/128] (a multiply,
/// despite the name): huggingface/transformers <c>src/transformers/integrations/finegrained_fp8.py</c> (FP8Linear, <c>weight_scale_inv</c>);</item>
/// <item>compressed-tensors <c>float-quantized</c> and ModelOpt FP8: <c>weight_scale</c> per tensor, channel, group or
/// block, W = w · scale: vllm-project/compressed-tensors <c>src/compressed_tensors/quantization/lifecycle/forward.py</c>
/// (<c>dequantize</c>: <c>x_q.to(scale.dtype) * scale</c>);</item>
/// <item>a bare 8-bit float tensor: its values (<see cref="Fp8"/>).</item>
/// </list>
/// <c>input_scale</c> / <c>activation_scale</c> (activation scales) are parameters of the weight. The value is the exact
/// product rounded once to the scale's type (F32 for block scales).
/// </summary>
public sealed class Fp8Decoder : IQuantizedWeightDecoder
{
    public IEnumerable<QuantizedWeight> Find(QuantizedCheckpoint checkpoint)
    {
        foreach (var t in checkpoint.Tensors)
        {
            if (t.DType is not ("F8_E4M3" or "F8_E5M2") || checkpoint.IsClaimed(t.Name) || t.Shape.Length == 0) continue;
            string module = QuantizationParameterNames.Module(t.Name);
            bool isWeight = QuantizationParameterNames.LastSegment(t.Name) == "weight";
            StoredTensor? inverse = isWeight ? checkpoint.Unclaimed(QuantizationParameterNames.Join(module, "weight_scale_inv")) : null;
            StoredTensor? scale = isWeight ? checkpoint.Unclaimed(QuantizationParameterNames.Join(module, "weight_scale")) : null;
            if (inverse is not null && scale is not null)
                throw t.Bad($"has both '{inverse.Name}' and '{scale.Name}'; an FP8 weight has one scale.");
            StoredTensor? used = inverse ?? scale;
            var parameters = new List<StoredTensor>();
            if (used is not null) parameters.Add(used);
            if (isWeight)
                foreach (string activation in new[] { "input_scale", "activation_scale" })
                    if (checkpoint.Unclaimed(QuantizationParameterNames.Join(module, activation)) is { } a) parameters.Add(a);
            yield return new Fp8Weight(t, parameters, used, used is null ? null : StatedBlock(checkpoint.Layout, module, t.Name));
        }
    }

    /// <summary>The block (rows, columns) the configuration states for this weight's scale, or null to read it from the shapes.</summary>
    private static (long Rows, long Cols)? StatedBlock(QuantizationLayout? layout, string module, string tensor)
    {
        if (layout is null) return null;
        if (layout.Method == "fp8" && layout.Settings.TryGetProperty("weight_block_size", out var b) && b.ValueKind == System.Text.Json.JsonValueKind.Array)
        {
            var pair = b.EnumerateArray().Select(e => e.TryGetInt64(out long v) ? v : -1).ToArray();
            if (pair.Length != 2 || pair.Any(v => v <= 0)) throw layout.Bad(tensor, $"weight_block_size {b.GetRawText()} is not two positive integers.");
            return (pair[0], pair[1]);
        }
        return CompressedTensorsScheme.For(layout, module, tensor)?.Block;
    }

    private sealed class Fp8Weight(StoredTensor weight, IReadOnlyList<StoredTensor> parameters, StoredTensor? scale, (long Rows, long Cols)? block)
        : QuantizedWeight(weight.Name, weight.Shape, scale is null ? TensorDType.Float16 : QuantizedValues.DTypeOf(scale), "FP8",
            scale is null ? weight.DType : $"{weight.DType} x {QuantizationParameterNames.LastSegment(scale.Name)}", weight, parameters)
    {
        public override void Decode(Span<float> destination)
        {
            byte[] codes = Packed.ReadBytes();
            Func<byte, double> value = Packed.DType == "F8_E4M3" ? Fp8.E4M3 : Fp8.E5M2;
            if (scale is null || Shape.Length < 2)
            {
                double only = scale is null ? 1 : SingleScale(scale);
                for (int i = 0; i < codes.Length; i++) destination[i] = QuantizedValues.Round(value(codes[i]) * only, DType);
                return;
            }
            var grid = ScaleGrid.Of(scale, Shape, block);
            long rows = Shape[^2], cols = Shape[^1];
            long matrices = rows * cols == 0 ? 0 : codes.Length / (rows * cols);
            int k = 0;
            for (long m = 0; m < matrices; m++)
                for (long r = 0; r < rows; r++)
                    for (long c = 0; c < cols; c++, k++)
                        destination[k] = QuantizedValues.Round(value(codes[k]) * grid.At(m, r, c), DType);
        }

        private static double SingleScale(StoredTensor scale)
        {
            var values = QuantizedValues.Floats(scale);
            return values.Length == 1 ? values[0] : throw scale.Bad($"scale shape {scale.ShapeText} does not fit a 1-D weight; it must be one value.");
        }
    }
}
