namespace SpectralGate.Engine.Sources.Quantized;

/// <summary>
/// gpt-oss MXFP4 experts (<c>quantization_config.quant_method: mxfp4</c>): <c>X_blocks</c> U8 <c>[E, rows, G, 16]</c> and
/// <c>X_scales</c> U8 <c>[E, rows, G]</c> decode (<see cref="Mxfp4Dequantizer"/>) to the weight <c>X</c>
/// <c>[E, G·32, rows]</c>, transformers' layout, which the matrix stage cuts into one layer per expert. The names alone
/// say the layout, so a checkpoint without its config is decoded too.
/// </summary>
public sealed class Mxfp4Decoder : IQuantizedWeightDecoder
{
    public IEnumerable<QuantizedWeight> Find(QuantizedCheckpoint checkpoint)
    {
        foreach (var blocks in checkpoint.Tensors.ToList())
        {
            if (checkpoint.IsClaimed(blocks.Name) || !blocks.Name.EndsWith("_blocks", StringComparison.Ordinal)) continue;
            string name = blocks.Name[..^"_blocks".Length];
            StoredTensor? scales = checkpoint.Unclaimed(name + "_scales");
            if (scales is null) continue;
            QuantizedParameters.ExpectDType(blocks, "an MXFP4 block tensor", "U8");
            QuantizedParameters.ExpectDType(scales, "an E8M0 scale tensor", "U8", "F8_E8M0");
            if (blocks.Shape.Length != 4 || blocks.Shape[3] != Mxfp4Dequantizer.BytesPerBlock)
                throw blocks.Bad($"is {blocks.ShapeText}; gpt-oss MXFP4 experts are [experts, rows, blocks, {Mxfp4Dequantizer.BytesPerBlock}].");
            QuantizedParameters.ExpectShape(scales, blocks.Shape[..3], $"one E8M0 exponent per block of {blocks.ShapeText}");
            long experts = blocks.Shape[0], rows = blocks.Shape[1], groups = blocks.Shape[2];
            yield return new Mxfp4Weight(name, [experts, groups * Mxfp4Dequantizer.ValuesPerBlock, rows], blocks, scales);
        }
    }

    private sealed class Mxfp4Weight(string name, long[] shape, StoredTensor blocks, StoredTensor scales)
        : QuantizedWeight(name, shape, TensorDType.BFloat16, "MXFP4", "MXFP4 (gpt-oss), E8M0 scale per 32", blocks, [scales])
    {
        public override void Decode(Span<float> destination)
        {
            byte[] codes = Packed.ReadBytes(), exponents = scales.ReadBytes();
            try
            {
                Mxfp4Dequantizer.DecodeExperts(codes, exponents, QuantizedParameters.Int(Packed, Packed.Shape[0]), QuantizedParameters.Int(Packed, Packed.Shape[1]),
                    QuantizedParameters.Int(Packed, Packed.Shape[2]), destination, TensorDType.BFloat16);
            }
            catch (ArgumentException e) { throw Packed.Bad(e.Message); }
        }
    }
}
