namespace SpectralGate.Engine.Sources.Quantized;

/// <summary>
/// bitsandbytes checkpoints saved by transformers (<c>quant_method: bitsandbytes</c>), decoded by
/// <see cref="BitsAndBytesDequantizer"/>; the tensor names alone say the layout:
/// <list type="bullet">
/// <item>4-bit (<c>Params4bit</c>, bitsandbytes/nn/modules.py; <c>QuantState.as_dict(packed=True)</c> in functional.py):
/// <c>X.weight</c> U8 <c>[ceil(n/2), 1]</c>, <c>X.weight.absmax</c> (F32, or U8 under double quantization with
/// <c>X.weight.nested_absmax</c> and <c>X.weight.nested_quant_map</c>), <c>X.weight.quant_map</c> F32[16], and
/// <c>X.weight.quant_state.bitsandbytes__nf4</c> (or <c>__fp4</c>): U8 JSON with the shape, blocksize and dtype;</item>
/// <item>8-bit (LLM.int8, <c>Linear8bitLt</c>): <c>X.weight</c> I8 <c>[out, in]</c>, <c>X.SCB</c> F32 <c>[out]</c>,
/// <c>X.weight_format</c>.</item>
/// </list>
/// </summary>
public sealed class BitsAndBytesDecoder : IQuantizedWeightDecoder
{
    private const string StatePrefix = ".weight.quant_state.bitsandbytes__";

    public IEnumerable<QuantizedWeight> Find(QuantizedCheckpoint checkpoint)
    {
        foreach (var t in checkpoint.Tensors.ToList())
        {
            if (checkpoint.IsClaimed(t.Name)) continue;
            int at = t.Name.IndexOf(StatePrefix, StringComparison.Ordinal);
            if (at >= 0 && t.Name.EndsWith(StatePrefix + t.Name[(at + StatePrefix.Length)..], StringComparison.Ordinal))
            {
                if (FourBit(checkpoint, t, t.Name[..at]) is { } weight) yield return weight;
                continue;
            }
            if (QuantizationParameterNames.LastSegment(t.Name) == "SCB")
            {
                string module = QuantizationParameterNames.Module(t.Name);
                StoredTensor? w = checkpoint.Unclaimed(QuantizationParameterNames.Join(module, "weight"));
                if (w is null || w.DType != "I8") continue;
                if (w.Shape.Length != 2) throw w.Bad($"is {w.ShapeText}; an LLM.int8 weight is [out, in].");
                QuantizedParameters.ExpectShape(t, [w.Shape[0]], $"one row absmax per row of {w.ShapeText}");
                var parameters = new[] { t, checkpoint.Unclaimed(QuantizationParameterNames.Join(module, "weight_format")) }.OfType<StoredTensor>().ToList();
                yield return new Int8Weight(w, t, parameters);
            }
        }
    }

    private static QuantizedWeight? FourBit(QuantizedCheckpoint checkpoint, StoredTensor state, string module)
    {
        StoredTensor? weight = checkpoint.Unclaimed(module + ".weight");
        if (weight is null) throw state.Bad($"has no '{module}.weight' beside it.");
        StoredTensor? Part(string segment) => checkpoint.Unclaimed($"{module}.weight.{segment}");
        QuantizedParameters.ExpectDType(state, "a packed quant_state (JSON bytes)", "U8");
        BitsAndBytesQuantState parsed;
        try { parsed = BitsAndBytesQuantState.Parse(state.ReadBytes()); }
        catch (ArgumentException e) { throw state.Bad(e.Message); }
        StoredTensor absmax = Part("absmax") ?? throw weight.Bad($"has no '{module}.weight.absmax'.");
        StoredTensor quantMap = Part("quant_map") ?? throw weight.Bad($"has no '{module}.weight.quant_map'.");
        StoredTensor? nestedAbsmax = parsed.Nested ? Part("nested_absmax") ?? throw weight.Bad($"is double-quantized but has no '{module}.weight.nested_absmax'.") : null;
        StoredTensor? nestedMap = parsed.Nested ? Part("nested_quant_map") ?? throw weight.Bad($"is double-quantized but has no '{module}.weight.nested_quant_map'.") : null;
        var parameters = new[] { absmax, quantMap, nestedAbsmax, nestedMap, state }.OfType<StoredTensor>().ToList();

        long n;
        try { n = TensorShape.CheckedElementCount(parsed.Shape); }
        catch (OverflowException) { throw state.Bad($"shape {QuantizedValues.ShapeText(parsed.Shape)} overflows 64 bits."); }
        QuantizedParameters.ExpectDType(weight, "a packed 4-bit weight", "U8");
        if (weight.ElementCount != (n + 1) / 2)
            throw weight.Bad($"is {weight.ShapeText} ({weight.ElementCount} bytes); the quant state's shape {QuantizedValues.ShapeText(parsed.Shape)} packs into {(n + 1) / 2}.");
        QuantizedParameters.ExpectShape(quantMap, [16], "a 4-bit code book");
        long blocks = (n + parsed.BlockSize - 1) / parsed.BlockSize;
        QuantizedParameters.ExpectShape(absmax, [blocks], $"one absmax per block of {parsed.BlockSize} of {n} values");
        QuantizedParameters.ExpectDType(absmax, parsed.Nested ? "a double-quantized absmax" : "an absmax", parsed.Nested ? ["U8"] : ["F32", "F16", "BF16"]);
        if (nestedMap is not null) QuantizedParameters.ExpectShape(nestedMap, [256], "an 8-bit code book");
        if (nestedAbsmax is not null)
            QuantizedParameters.ExpectShape(nestedAbsmax, [(blocks + parsed.NestedBlockSize!.Value - 1) / parsed.NestedBlockSize.Value],
                $"one nested absmax per block of {parsed.NestedBlockSize} of {blocks} absmax codes");
        return new FourBitWeight(module + ".weight", parsed, weight, absmax, quantMap, nestedAbsmax, nestedMap, parameters);
    }

    private sealed class FourBitWeight(string name, BitsAndBytesQuantState state, StoredTensor weight, StoredTensor absmax, StoredTensor quantMap,
        StoredTensor? nestedAbsmax, StoredTensor? nestedMap, IReadOnlyList<StoredTensor> parameters)
        : QuantizedWeight(name, state.Shape, state.StoredType, "bitsandbytes",
            $"bitsandbytes {state.QuantType.ToUpperInvariant()}, block {state.BlockSize}{(state.Nested ? ", double-quantized" : "")}", weight, parameters)
    {
        public override void Decode(Span<float> destination)
        {
            byte[] packed = Packed.ReadBytes();
            float[] map = QuantizedParameters.Singles(quantMap);
            try
            {
                float[] scales = nestedAbsmax is null ? QuantizedParameters.Singles(absmax)
                    : BitsAndBytesDequantizer.NestedAbsmax(absmax.ReadBytes(), QuantizedParameters.Singles(nestedMap!), QuantizedParameters.Singles(nestedAbsmax),
                        state.NestedBlockSize!.Value, state.NestedOffset!.Value);
                BitsAndBytesDequantizer.Decode4Bit(packed, map, scales, state.BlockSize, destination, DType);
            }
            catch (ArgumentException e) { throw Packed.Bad(e.Message); }
        }
    }

    private sealed class Int8Weight(StoredTensor weight, StoredTensor scb, IReadOnlyList<StoredTensor> parameters)
        : QuantizedWeight(weight.Name, weight.Shape, TensorDType.Float32, "bitsandbytes", "bitsandbytes LLM.int8, row absmax SCB", weight, parameters)
    {
        public override void Decode(Span<float> destination)
        {
            byte[] bytes = Packed.ReadBytes();
            var q = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, sbyte>(bytes);
            try { BitsAndBytesDequantizer.DecodeInt8(q, QuantizedParameters.Singles(scb), (int)Shape[0], (int)Shape[1], destination); }
            catch (ArgumentException e) { throw Packed.Bad(e.Message); }
        }
    }
}
