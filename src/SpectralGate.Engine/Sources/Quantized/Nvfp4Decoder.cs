namespace SpectralGate.Engine.Sources.Quantized;

/// <summary>
/// NVFP4 weights (<see cref="Nvfp4Dequantizer"/>): U8 <c>[out, in/2]</c> E2M1 pairs, an E4M3 <c>weight_scale</c>
/// <c>[out, in/16]</c> and one float32 tensor scale, as two writers store them:
/// <list type="bullet">
/// <item>compressed-tensors <c>nvfp4-pack-quantized</c>: <c>weight_packed</c>, <c>weight_scale</c>, <c>weight_global_scale</c>
/// (divided), opt. <c>weight_shape</c>, <c>input_global_scale</c>; a group of <c>format: mxfp4-pack-quantized</c> is listed
/// as not decoded, as compressed-tensors itself does not decompress it;</item>
/// <item>NVIDIA ModelOpt (<c>hf_quant_config.json</c> <c>quant_algo: NVFP4</c>): <c>weight</c>, <c>weight_scale</c>,
/// <c>weight_scale_2</c> (multiplied), <c>input_scale</c>; decoded to bfloat16, the dtype ModelOpt's NVFP4 exports
/// carry.</item>
/// </list>
/// Listed before <see cref="Fp8Decoder"/>, which would otherwise take the E4M3 block scales for FP8 weights.
/// </summary>
public sealed class Nvfp4Decoder : IQuantizedWeightDecoder
{
    public IEnumerable<QuantizedWeight> Find(QuantizedCheckpoint checkpoint)
    {
        foreach (var t in checkpoint.Tensors.ToList())
        {
            if (checkpoint.IsClaimed(t.Name) || t.DType != "U8") continue;
            string last = QuantizationParameterNames.LastSegment(t.Name);
            string module = QuantizationParameterNames.Module(t.Name);
            StoredTensor? Sibling(string segment) => checkpoint.Unclaimed(QuantizationParameterNames.Join(module, segment));
            StoredTensor? global = last == "weight_packed" ? Sibling("weight_global_scale") : null;
            StoredTensor? scale2 = last == "weight" ? Sibling("weight_scale_2") : null;
            if (global is null && scale2 is null) continue;
            StoredTensor scale = Sibling("weight_scale") ?? throw t.Bad($"has no '{QuantizationParameterNames.Join(module, "weight_scale")}' beside its tensor scale.");
            StoredTensor? shape = global is not null ? Sibling("weight_shape") : null;
            var parameters = new[] { scale, global, scale2, shape, Sibling("input_global_scale"), Sibling("input_scale") }.OfType<StoredTensor>().ToList();
            string name = QuantizationParameterNames.Join(module, "weight");
            string writer = global is not null ? "compressed-tensors" : "ModelOpt";

            if (t.Shape.Length != 2) throw t.Bad($"is {t.ShapeText}; packed NVFP4 is [out, in/2].");
            long rows = t.Shape[0], cols = t.Shape[1] * 2;
            if (global is not null && CompressedTensorsScheme.For(checkpoint.Layout, module, t.Name) is { Format: "mxfp4-pack-quantized" })
            {
                yield return new UndecodedWeight(name, [rows, cols], "MXFP4", "compressed-tensors mxfp4-pack-quantized", t, parameters,
                    "compressed-tensors does not decompress mxfp4-pack-quantized itself ('MXFP4 Decompression is currently not supported'); no reference to follow");
                continue;
            }
            if (shape is not null)
            {
                long[] dims = QuantizedValues.Integers(shape);
                if (!dims.SequenceEqual(new[] { rows, cols })) throw shape.Bad($"holds [{string.Join(", ", dims)}]; '{t.Name}' {t.ShapeText} packs [{rows}, {cols}].");
            }
            if (cols % Nvfp4Dequantizer.BlockSize != 0) throw t.Bad($"is {t.ShapeText}: rows of {cols} values are not a whole number of {Nvfp4Dequantizer.BlockSize}-value blocks.");
            QuantizedParameters.ExpectShape(scale, [rows, cols / Nvfp4Dequantizer.BlockSize], $"one scale per {Nvfp4Dequantizer.BlockSize} values of [{rows}, {cols}]");
            QuantizedParameters.ExpectDType(scale, "an NVFP4 block scale", "F8_E4M3", "F32", "F16", "BF16");
            StoredTensor tensorScale = (global ?? scale2)!;
            if (tensorScale.ElementCount != 1) throw tensorScale.Bad($"is {tensorScale.ShapeText}; the tensor scale of NVFP4 is one value.");
            yield return new Nvfp4Weight(name, [rows, cols], writer, t, scale, tensorScale, global is not null, parameters);
        }
    }

    private sealed class Nvfp4Weight(string name, long[] shape, string writer, StoredTensor packed, StoredTensor scale, StoredTensor tensorScale, bool divide, IReadOnlyList<StoredTensor> parameters)
        : QuantizedWeight(name, shape, TensorDType.BFloat16, "NVFP4", $"NVFP4 ({writer}), E4M3 scale per 16", packed, parameters)
    {
        public override void Decode(Span<float> destination)
        {
            byte[] codes = Packed.ReadBytes();
            float[] blockScales = QuantizedParameters.Singles(scale);
            float s = QuantizedParameters.Singles(tensorScale)[0];
            if (!float.IsFinite(s) || s == 0) throw tensorScale.Bad($"is {s}; a tensor scale must be finite and non-zero.");
            int rows = (int)Shape[0], cols = (int)Shape[1];
            try
            {
                if (divide) Nvfp4Dequantizer.DecodeCompressedTensors(codes, blockScales, s, rows, cols, destination);
                else Nvfp4Dequantizer.DecodeModelOpt(codes, blockScales, s, rows, cols, destination, TensorDType.BFloat16);
            }
            catch (ArgumentException e) { throw Packed.Bad(e.Message); }
        }
    }
}
