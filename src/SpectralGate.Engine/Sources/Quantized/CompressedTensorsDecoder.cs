namespace SpectralGate.Engine.Sources.Quantized;

/// <summary>
/// compressed-tensors integer weights (llm-compressor W4A16, W8A16, W8A8; <c>quant_method: compressed-tensors</c>):
/// <list type="bullet">
/// <item><c>pack-quantized</c>: <c>weight_packed</c> I32 <c>[out, ceil(in/(32/b))]</c>, 32/b codes per word, column k at
/// word k/(32/b), shift b·(k mod 32/b) (no code straddles words), each stored unsigned as signed + 2^(b−1);
/// <c>weight_shape</c> [out, in]; <c>weight_scale</c> per tensor, channel or group <c>[out, ceil(in/g)]</c>; asymmetric
/// zero points <c>weight_zero_point</c> packed the same way along the rows <c>[ceil(out/(32/b)), groups]</c>; optional
/// <c>weight_g_idx</c> [in] (act-order). W = (q − zp) · scale. Source: vllm-project/compressed-tensors
/// <c>src/compressed_tensors/compressors/quantized_compressors/pack_quantized.py</c> (<c>pack_to_int32</c>,
/// <c>unpack_from_int32</c>) and <c>quantization/lifecycle/forward.py</c> (<c>dequantize</c>);</item>
/// <item><c>naive-quantized</c> / <c>int-quantized</c>: <c>weight</c> I8 with <c>weight_scale</c> and optional
/// <c>weight_zero_point</c> (I8, the scale's shape): W = (w − zp) · scale. Source: same repository,
/// <c>quantized_compressors/naive_quantized.py</c>.</item>
/// </list>
/// Float (FP8) weights of <c>float-quantized</c> are <see cref="Fp8Decoder"/>'s.
/// </summary>
public sealed class CompressedTensorsDecoder : IQuantizedWeightDecoder
{
    public IEnumerable<QuantizedWeight> Find(QuantizedCheckpoint checkpoint)
    {
        var layout = checkpoint.Layout;
        if (layout is null || layout.Method != "compressed-tensors") yield break;
        foreach (var t in checkpoint.Tensors.ToList())
        {
            if (checkpoint.IsClaimed(t.Name)) continue;
            string last = QuantizationParameterNames.LastSegment(t.Name);
            string module = QuantizationParameterNames.Module(t.Name);
            StoredTensor? Sibling(string segment) => checkpoint.Unclaimed(QuantizationParameterNames.Join(module, segment));
            bool packed = last == "weight_packed" && t.DType is "I32" or "U32";
            bool naive = last == "weight" && t.DType == "I8" && Sibling("weight_scale") is not null;
            if (!packed && !naive) continue;

            var scheme = CompressedTensorsScheme.For(layout, module, t.Name)
                ?? throw layout.Bad(t.Name, $"no config_groups entry of quantization_config targets module '{module}', whose weight is stored quantized.");
            if (scheme.Type != "int") throw layout.Bad(t.Name, $"config group type '{scheme.Type}' does not fit the integer weight {t.DType}.");
            StoredTensor scale = Sibling("weight_scale") ?? throw t.Bad($"has no '{QuantizationParameterNames.Join(module, "weight_scale")}'.");
            StoredTensor? zero = Sibling("weight_zero_point");
            StoredTensor? gIdx = Sibling("weight_g_idx");
            StoredTensor? shape = packed ? Sibling("weight_shape") ?? throw t.Bad($"has no '{QuantizationParameterNames.Join(module, "weight_shape")}'.") : null;
            var parameters = new[] { scale, zero, gIdx, shape, Sibling("input_scale"), Sibling("input_zero_point") }.OfType<StoredTensor>().ToList();
            string name = QuantizationParameterNames.Join(module, "weight");

            if (packed)
            {
                long[] dims = QuantizedValues.Integers(shape!);
                if (dims.Length != 2 || dims.Any(d => d < 0 || d > int.MaxValue))
                    throw shape!.Bad($"holds [{string.Join(", ", dims)}]; weight_shape is two non-negative sizes [out, in].");
                long perWord = 32 / scheme.Bits;
                if (t.Shape.Length != 2 || t.Shape[0] != dims[0] || t.Shape[1] != (dims[1] + perWord - 1) / perWord)
                    throw t.Bad($"is {t.ShapeText}; weight_shape [{dims[0]}, {dims[1]}] of {scheme.Bits}-bit codes needs [{dims[0]}, {(dims[1] + perWord - 1) / perWord}].");
                yield return new PackedWeight(name, dims, t, scale, zero, gIdx, parameters, scheme);
            }
            else
            {
                if (t.Shape.Length != 2) throw t.Bad($"is {t.ShapeText}; an int8 weight is a matrix [out, in].");
                yield return new NaiveWeight(name, t, scale, zero, parameters, scheme);
            }
        }
    }

    private sealed class PackedWeight(string name, long[] shape, StoredTensor packed, StoredTensor scale, StoredTensor? zero, StoredTensor? gIdx,
        IReadOnlyList<StoredTensor> parameters, CompressedTensorsScheme scheme)
        : QuantizedWeight(name, shape, QuantizedValues.DTypeOf(scale), "compressed-tensors",
            $"compressed-tensors pack-quantized int{scheme.Bits}, {scheme.Strategy}{(scheme.Strategy == "group" ? " " + scheme.GroupSize : "")}", packed, parameters)
    {
        public override void Decode(Span<float> destination)
        {
            long rows = Shape[0], cols = Shape[1];
            int bits = scheme.Bits;
            long perWord = 32 / bits, words = Packed.Shape[1];
            long offset = 1L << (bits - 1);
            uint mask = (uint)((1UL << bits) - 1);
            uint[] codes = QuantizedValues.Words(Packed);
            double[] s = QuantizedValues.Floats(scale);

            // Each column's group: g_idx (act-order), the configured group, one for a channel, or the whole row.
            long groups = scale.Shape.Length == 2 ? scale.Shape[1] : 1;
            bool perRow = s.Length != 1;
            if (perRow && (scale.Shape.Length != 2 || scale.Shape[0] != rows))
                throw scale.Bad($"is {scale.ShapeText}; a weight [{rows}, {cols}] needs one scale, [{rows}, 1] or [{rows}, groups].");
            var group = new long[cols];
            if (gIdx is not null)
            {
                long[] g = QuantizedValues.Integers(gIdx);
                if (g.Length != cols) throw gIdx.Bad($"holds {g.Length} entries; the weight has {cols} columns.");
                for (long c = 0; c < cols; c++)
                    group[c] = g[c] >= 0 && g[c] < groups ? g[c] : throw gIdx.Bad($"weight_g_idx[{c}] = {g[c]} is outside the {groups} groups of '{scale.Name}'.");
            }
            else if (groups > 1)
            {
                long size = scheme.GroupSize > 0 ? scheme.GroupSize : throw scale.Bad($"is {scale.ShapeText}, groups, but the config states no group_size.");
                if ((cols + size - 1) / size != groups)
                    throw scale.Bad($"is {scale.ShapeText}; {cols} columns in groups of {size} need {(cols + size - 1) / size} groups.");
                for (long c = 0; c < cols; c++) group[c] = c / size;
            }

            long[]? zp = zero is null || scheme.Symmetric ? null : ZeroPoints(rows, groups, perWord, bits, offset, mask);
            for (long r = 0; r < rows; r++)
                for (long c = 0; c < cols; c++)
                {
                    long q = ((codes[r * words + c / perWord] >> (int)(bits * (c % perWord))) & mask) - offset;
                    long g = group[c];
                    long z = zp is null ? 0 : zp.Length == 1 ? zp[0] : zp[r * groups + g];
                    double sc = perRow ? s[r * groups + g] : s[0];
                    destination[(int)(r * cols + c)] = QuantizedValues.Round((q - z) * sc, DType);
                }
        }

        // Asymmetric zero points, packed along the rows (pack_to_int32(..., packed_dim=0)) when per group or channel.
        private long[] ZeroPoints(long rows, long groups, long perWord, int bits, long offset, uint mask)
        {
            if (zero!.ElementCount == 1) return [QuantizedValues.Integers(zero)[0]];
            if (zero.Shape.Length != 2 || zero.Shape[0] != (rows + perWord - 1) / perWord || zero.Shape[1] != groups)
                throw zero.Bad($"is {zero.ShapeText}; {rows} rows of {groups} {bits}-bit zero points packed along the rows need [{(rows + perWord - 1) / perWord}, {groups}].");
            uint[] words = QuantizedValues.Words(zero);
            var zp = new long[rows * groups];
            for (long r = 0; r < rows; r++)
                for (long g = 0; g < groups; g++)
                    zp[r * groups + g] = ((words[(r / perWord) * groups + g] >> (int)(bits * (r % perWord))) & mask) - offset;
            return zp;
        }
    }

    private sealed class NaiveWeight(string name, StoredTensor weight, StoredTensor scale, StoredTensor? zero, IReadOnlyList<StoredTensor> parameters, CompressedTensorsScheme scheme)
        : QuantizedWeight(name, weight.Shape, QuantizedValues.DTypeOf(scale), "compressed-tensors", $"compressed-tensors {scheme.Format} int8, {scheme.Strategy}", weight, parameters)
    {
        public override void Decode(Span<float> destination)
        {
            long rows = Shape[0], cols = Shape[1];
            long[] w = QuantizedValues.Integers(Packed);
            var grid = ScaleGrid.Of(scale, Shape, scheme.Block);
            long[]? zp = null;
            if (zero is not null)
            {
                if (!zero.Shape.SequenceEqual(scale.Shape)) throw zero.Bad($"is {zero.ShapeText}; zero points must have the scale's shape {scale.ShapeText}.");
                zp = QuantizedValues.Integers(zero);
            }
            var zeroGrid = zp is null ? null : ZeroIndex(scale, rows, cols);
            for (long r = 0; r < rows; r++)
                for (long c = 0; c < cols; c++)
                {
                    long z = zp is null ? 0 : zp[zeroGrid!(r, c)];
                    destination[(int)(r * cols + c)] = QuantizedValues.Round((w[r * cols + c] - z) * grid.At(0, r, c), DType);
                }
        }

        // The zero point of an element sits where its scale does.
        private Func<long, long, long> ZeroIndex(StoredTensor scale, long rows, long cols)
        {
            if (scale.ElementCount == 1) return (_, _) => 0;
            long gridCols = scale.Shape.Length == 2 ? scale.Shape[1] : 1;
            long blockRows = Math.Max(1, rows / Math.Max(1, scale.Shape[0])), blockCols = Math.Max(1, (cols + gridCols - 1) / gridCols);
            if (scheme.Block is { } b) (blockRows, blockCols) = b;
            return (r, c) => (r / blockRows) * gridCols + c / blockCols;
        }
    }
}
