namespace SpectralGate.Engine.Sources.Quantized;

/// <summary>
/// AWQ GEMM (AutoAWQ, llm-awq; <c>quant_method: awq</c>, <c>version: gemm</c>): <c>qweight</c> I32 <c>[in, out/8]</c> holds
/// eight 4-bit codes per word at shifts 0, 4, ..., 28 in the interleaved order [0, 2, 4, 6, 1, 3, 5, 7] (so output
/// column 8w + c is at shift 4·[0, 4, 1, 5, 2, 6, 3, 7][c]), <c>qzeros</c> I32 <c>[in/g, out/8]</c> likewise, <c>scales</c>
/// <c>[in/g, out]</c>; Wᵀ[i, j] = (q − z[i/g, j]) · s[i/g, j]. Source: casper-hansen/AutoAWQ <c>awq/utils/packing_utils.py</c>
/// (<c>AWQ_REVERSE_ORDER</c>, <c>unpack_awq</c>, <c>reverse_awq_order</c>, <c>dequantize_gemm</c>). GEMV packing is not decoded.
/// </summary>
public sealed class AwqDecoder : IQuantizedWeightDecoder
{
    /// <summary>The output column of each 4-bit slot is undone by this order (AutoAWQ's AWQ_REVERSE_ORDER).</summary>
    private static readonly int[] ReverseOrder = [0, 4, 1, 5, 2, 6, 3, 7];

    public IEnumerable<QuantizedWeight> Find(QuantizedCheckpoint checkpoint)
    {
        var layout = checkpoint.Layout;
        if (layout is null || layout.Method != "awq") yield break;
        foreach (var qweight in checkpoint.Tensors.Where(t => QuantizationParameterNames.LastSegment(t.Name) == "qweight" && !checkpoint.IsClaimed(t.Name)).ToList())
        {
            string module = QuantizationParameterNames.Module(qweight.Name);
            string name = QuantizationParameterNames.Join(module, "weight");
            StoredTensor? scales = checkpoint.Unclaimed(QuantizationParameterNames.Join(module, "scales"));
            StoredTensor? qzeros = checkpoint.Unclaimed(QuantizationParameterNames.Join(module, "qzeros"));
            var parameters = new[] { qzeros, scales }.OfType<StoredTensor>().ToList();

            long bits = layout.Integer("bits", layout.Integer("w_bit", 4));
            if (bits is < 1 or > 8) throw layout.Bad(qweight.Name, $"bits {bits} is outside 1..8.");
            string version = (layout.Text("version", "gemm") ?? "gemm").ToLowerInvariant();
            bool zeroPoint = layout.Flag("zero_point", true);
            string? refusal = bits != 4 ? $"{bits}-bit AWQ is not decoded (GEMM packs 4 bits)"
                : version != "gemm" ? $"AWQ version '{version}' is not decoded (gemm is)"
                : !zeroPoint ? "AWQ without zero points is not decoded" : null;
            if (refusal is not null)
            {
                yield return new UndecodedWeight(name, qweight.Shape, "AWQ", $"AWQ {bits}-bit ({version})", qweight, parameters, refusal);
                continue;
            }
            if (qweight.DType is not ("I32" or "U32") || qweight.Shape.Length != 2) throw qweight.Bad($"is {qweight.DType} {qweight.ShapeText}; AWQ's qweight is I32 [in, out/8].");
            if (scales is null) throw qweight.Bad($"has no '{QuantizationParameterNames.Join(module, "scales")}'.");
            if (qzeros is null) throw qweight.Bad($"has no '{QuantizationParameterNames.Join(module, "qzeros")}'.");
            long inFeatures = qweight.Shape[0], outFeatures = qweight.Shape[1] * 8;
            long groupSize = layout.Integer("group_size", layout.Integer("q_group_size", 128));
            if (groupSize == -1) groupSize = inFeatures;
            if (groupSize <= 0 || inFeatures % groupSize != 0)
                throw layout.Bad(qweight.Name, $"group_size {groupSize} does not divide the {inFeatures} inputs of '{qweight.Name}'.");
            long groups = inFeatures / groupSize;
            if (scales.Shape.Length != 2 || scales.Shape[0] != groups || scales.Shape[1] != outFeatures)
                throw scales.Bad($"is {scales.ShapeText}; {inFeatures} inputs in groups of {groupSize} and {outFeatures} outputs need [{groups}, {outFeatures}].");
            if (!QuantizedValues.IsFloat(scales.DType)) throw scales.Bad($"is {scales.DType}; scales must be a float type.");
            if (qzeros.Shape.Length != 2 || qzeros.Shape[0] != groups || qzeros.Shape[1] != qweight.Shape[1])
                throw qzeros.Bad($"is {qzeros.ShapeText}; it must be [{groups}, {qweight.Shape[1]}] like the packed weight per group.");
            if (qzeros.DType is not ("I32" or "U32")) throw qzeros.Bad($"is {qzeros.DType}; AWQ's qzeros are I32.");
            yield return new AwqWeight(name, [outFeatures, inFeatures], qweight, qzeros, scales, parameters, groupSize);
        }
    }

    private sealed class AwqWeight(string name, long[] shape, StoredTensor qweight, StoredTensor qzeros, StoredTensor scales, IReadOnlyList<StoredTensor> parameters, long groupSize)
        : QuantizedWeight(name, shape, QuantizedValues.DTypeOf(scales), "AWQ", $"AWQ 4-bit GEMM, group {groupSize}", qweight, parameters)
    {
        public override void Decode(Span<float> destination)
        {
            long outFeatures = Shape[0], inFeatures = Shape[1], words = outFeatures / 8;
            uint[] packed = QuantizedValues.Words(Packed);
            uint[] zeros = QuantizedValues.Words(qzeros);
            double[] s = QuantizedValues.Floats(scales);
            for (long i = 0; i < inFeatures; i++)
            {
                long g = i / groupSize;
                for (long j = 0; j < outFeatures; j++)
                {
                    int shift = 4 * ReverseOrder[j & 7];
                    long q = (packed[i * words + j / 8] >> shift) & 0xF;
                    long z = (zeros[g * words + j / 8] >> shift) & 0xF;
                    destination[(int)(j * inFeatures + i)] = QuantizedValues.Round((q - z) * s[g * outFeatures + j], DType);
                }
            }
        }
    }
}
