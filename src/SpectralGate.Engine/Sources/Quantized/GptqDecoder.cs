namespace SpectralGate.Engine.Sources.Quantized;

/// <summary>
/// GPTQ (AutoGPTQ, GPTQModel, optimum; <c>quant_method: gptq</c>): <c>qweight</c> I32 <c>[in·bits/32, out]</c> packed along
/// the input as a little-endian bit stream per column (3-bit codes straddle words), <c>qzeros</c> I32
/// <c>[groups, out·bits/32]</c> packed likewise along the output, <c>scales</c> <c>[groups, out]</c>, optional <c>g_idx</c>
/// <c>[in]</c> (act-order: the group of input i is g_idx[i], else i / group_size). W[j, i] = scales[g, j] · (q[i, j] − z[g, j]),
/// with z the stored zero + 1 in format v1 (<c>checkpoint_format: gptq</c>, which stores zero − 1) and the stored zero in
/// <c>gptq_v2</c>. <c>sym</c> changes nothing here: symmetric checkpoints store their zero points too.
/// Source: AutoGPTQ <c>auto_gptq/nn_modules/qlinear/qlinear_cuda_old.py</c> (<c>pack</c> and the torch forward: <c>zeros + 1</c>,
/// <c>scales * (weight - zeros)</c>, the 3-bit <c>wf</c> table); v2 (stores the zero itself, no + 1): xxxxyu/blog
/// <c>content/posts/vllm-gptqv2-support/index.md</c> (vLLM PR 26092, <c>zeros[i] + (use_v2_format ? 0 : 1)</c>).
/// </summary>
public sealed class GptqDecoder : IQuantizedWeightDecoder
{
    public IEnumerable<QuantizedWeight> Find(QuantizedCheckpoint checkpoint)
    {
        var layout = checkpoint.Layout;
        if (layout is null || layout.Method != "gptq") yield break;
        foreach (var qweight in checkpoint.Tensors.Where(t => QuantizationParameterNames.LastSegment(t.Name) == "qweight" && !checkpoint.IsClaimed(t.Name)).ToList())
        {
            string module = QuantizationParameterNames.Module(qweight.Name);
            string name = QuantizationParameterNames.Join(module, "weight");
            StoredTensor? scales = checkpoint.Unclaimed(QuantizationParameterNames.Join(module, "scales"));
            StoredTensor? qzeros = checkpoint.Unclaimed(QuantizationParameterNames.Join(module, "qzeros"));
            StoredTensor? gIdx = checkpoint.Unclaimed(QuantizationParameterNames.Join(module, "g_idx"));
            var parameters = new[] { qzeros, scales, gIdx }.OfType<StoredTensor>().ToList();

            long bits = layout.Integer("bits", -1);
            if (bits is not (2 or 3 or 4 or 8)) throw layout.Bad(qweight.Name, $"bits {bits} is not one of GPTQ's 2, 3, 4, 8.");
            string format = layout.Text("checkpoint_format", null) ?? layout.Text("format", "gptq")!;
            if (format is not ("gptq" or "gptq_v2"))
            {
                yield return new UndecodedWeight(name, qweight.Shape, "GPTQ", $"GPTQ {bits}-bit ({format})", qweight, parameters, $"checkpoint_format '{format}' is not decoded (gptq and gptq_v2 are)");
                continue;
            }
            if (qweight.DType is not ("I32" or "U32") || qweight.Shape.Length != 2) throw qweight.Bad($"is {qweight.DType} {qweight.ShapeText}; GPTQ's qweight is I32 [in*bits/32, out].");
            if (scales is null) throw qweight.Bad($"has no '{QuantizationParameterNames.Join(module, "scales")}'.");
            if (qzeros is null) throw qweight.Bad($"has no '{QuantizationParameterNames.Join(module, "qzeros")}'.");
            long outFeatures = qweight.Shape[1];
            long inFeatures = gIdx is not null ? (gIdx.Shape.Length == 1 ? gIdx.Shape[0] : throw gIdx.Bad($"is {gIdx.ShapeText}; g_idx is one group per input [in].")) : qweight.Shape[0] * 32 / bits;
            if (qweight.Shape[0] != (inFeatures * bits + 31) / 32)
                throw qweight.Bad($"has {qweight.Shape[0]} packed rows; {inFeatures} inputs of {bits} bits need {(inFeatures * bits + 31) / 32}.");
            long groupSize = layout.Integer("group_size", -1);
            if (groupSize == -1) groupSize = inFeatures;
            if (groupSize <= 0) throw layout.Bad(qweight.Name, $"group_size {groupSize} is neither -1 nor positive.");
            long groups = (inFeatures + groupSize - 1) / groupSize;
            if (scales.Shape.Length != 2 || scales.Shape[1] != outFeatures || scales.Shape[0] != groups)
                throw scales.Bad($"is {scales.ShapeText}; {inFeatures} inputs in groups of {groupSize} and {outFeatures} outputs need [{groups}, {outFeatures}].");
            if (!QuantizedValues.IsFloat(scales.DType)) throw scales.Bad($"is {scales.DType}; scales must be a float type.");
            long zeroWords = (outFeatures * bits + 31) / 32;
            if (qzeros.Shape.Length != 2 || qzeros.Shape[0] != scales.Shape[0] || qzeros.Shape[1] != zeroWords)
                throw qzeros.Bad($"is {qzeros.ShapeText}; {scales.Shape[0]} groups of {outFeatures} {bits}-bit zero points need [{scales.Shape[0]}, {zeroWords}].");
            yield return new GptqWeight(name, [outFeatures, inFeatures], qweight, qzeros, scales, gIdx, parameters, (int)bits, groupSize, format == "gptq");
        }
    }

    private sealed class GptqWeight(string name, long[] shape, StoredTensor qweight, StoredTensor qzeros, StoredTensor scales, StoredTensor? gIdx,
        IReadOnlyList<StoredTensor> parameters, int bits, long groupSize, bool v1)
        : QuantizedWeight(name, shape, QuantizedValues.DTypeOf(scales), "GPTQ", $"GPTQ{(v1 ? "" : " v2")} {bits}-bit, group {groupSize}{(gIdx is null ? "" : ", g_idx")}", qweight, parameters)
    {
        public override void Decode(Span<float> destination)
        {
            long outFeatures = Shape[0], inFeatures = Shape[1];
            uint[] packed = QuantizedValues.Words(Packed);
            uint[] zeros = QuantizedValues.Words(qzeros);
            double[] s = QuantizedValues.Floats(scales);
            long groups = scales.Shape[0];
            var group = new long[inFeatures];
            if (gIdx is not null)
            {
                long[] g = QuantizedValues.Integers(gIdx);
                for (long i = 0; i < inFeatures; i++)
                    group[i] = g[i] >= 0 && g[i] < groups ? g[i] : throw gIdx.Bad($"g_idx[{i}] = {g[i]} is outside the {groups} groups of '{scales.Name}'.");
            }
            else
                for (long i = 0; i < inFeatures; i++) group[i] = i / groupSize;

            long zeroWords = qzeros.Shape[1];
            for (long j = 0; j < outFeatures; j++)
                for (long i = 0; i < inFeatures; i++)
                {
                    long g = group[i];
                    uint q = QuantizedValues.Field(packed, j, outFeatures, i, bits);
                    long z = QuantizedValues.Field(zeros, g * zeroWords, 1, j, bits) + (v1 ? 1 : 0);
                    destination[(int)(j * inFeatures + i)] = QuantizedValues.Round(s[g * outFeatures + j] * (q - z), DType);
                }
        }
    }
}
