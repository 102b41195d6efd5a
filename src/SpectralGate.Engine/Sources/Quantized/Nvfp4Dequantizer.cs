namespace SpectralGate.Engine.Sources.Quantized;

/// <summary>
/// NVFP4 weights: two E2M1 codes a byte, the low nibble the even column; an FP8 E4M3 scale per 16 values of a row; one
/// float32 scale for the tensor. The two writers differ only in that tensor scale: compressed-tensors divides by its
/// <c>weight_global_scale</c>, NVIDIA ModelOpt multiplies by its <c>weight_scale_2</c> (= 1 / global scale).
/// </summary>
public static class Nvfp4Dequantizer
{
    public const int BlockSize = 16;

    /// <summary>
    /// compressed-tensors <c>nvfp4-pack-quantized</c> (compressed_tensors/compressors/quantized_compressors/fp4_quantized.py,
    /// <c>NVFP4PackedCompressor.decompress_weight</c> -> <c>unpack_fp4_from_uint8</c> (bfloat16) and
    /// quantization/lifecycle/forward.py <c>_dequantize</c>): the block scale cast to bfloat16, divided by the global
    /// scale in float32, times the value in float32, stored as bfloat16.
    /// </summary>
    public static void DecodeCompressedTensors(ReadOnlySpan<byte> packed, ReadOnlySpan<float> blockScales, float globalScale, int rows, int cols, Span<float> destination)
    {
        Check(packed, blockScales, rows, cols, destination);
        for (int r = 0; r < rows; r++)
            for (int b = 0; b < cols / BlockSize; b++)
            {
                float scale = QuantizedValues.Round(blockScales[r * (cols / BlockSize) + b], TensorDType.BFloat16) / globalScale;
                Block(packed, r, cols, b, scale, destination);
            }
        for (int i = 0; i < destination.Length; i++) destination[i] = QuantizedValues.Round(destination[i], TensorDType.BFloat16);
    }

    /// <summary>
    /// NVIDIA ModelOpt NVFP4 (<c>hf_quant_config.json</c> quant_algo NVFP4; modelopt/torch/quantization/qtensor/nvfp4_tensor.py
    /// <c>NVFP4QTensor.dequantize</c>): per-block scale = float32(weight_scale) · weight_scale_2, times the value in
    /// float32, stored as <paramref name="store"/> (the model's dtype).
    /// </summary>
    public static void DecodeModelOpt(ReadOnlySpan<byte> packed, ReadOnlySpan<float> blockScales, float weightScale2, int rows, int cols, Span<float> destination, TensorDType store)
    {
        Check(packed, blockScales, rows, cols, destination);
        for (int r = 0; r < rows; r++)
            for (int b = 0; b < cols / BlockSize; b++)
                Block(packed, r, cols, b, blockScales[r * (cols / BlockSize) + b] * weightScale2, destination);
        if (store != TensorDType.Float32)
            for (int i = 0; i < destination.Length; i++) destination[i] = QuantizedValues.Round(destination[i], store);
    }

    private static void Block(ReadOnlySpan<byte> packed, int row, int cols, int block, float scale, Span<float> destination)
    {
        int start = row * cols + block * BlockSize;
        for (int j = 0; j < BlockSize; j += 2)
        {
            byte pair = packed[(start + j) / 2];
            destination[start + j] = Fp4E2M1.ToSingle(pair & 0xF) * scale;
            destination[start + j + 1] = Fp4E2M1.ToSingle(pair >> 4) * scale;
        }
    }

    private static void Check(ReadOnlySpan<byte> packed, ReadOnlySpan<float> blockScales, int rows, int cols, Span<float> destination)
    {
        if (rows < 0 || cols <= 0 || cols % BlockSize != 0)
            throw new ArgumentException($"NVFP4 rows of {cols} values are not a whole number of {BlockSize}-value blocks.");
        long values = (long)rows * cols;
        if (packed.Length != values / 2)
            throw new ArgumentException($"packed weight has {packed.Length} bytes; [{rows}, {cols}] in FP4 needs {values / 2}.");
        if (blockScales.Length != values / BlockSize)
            throw new ArgumentException($"weight_scale has {blockScales.Length} values; [{rows}, {cols}] in blocks of {BlockSize} needs {values / BlockSize} ([{rows}, {cols / BlockSize}]).");
        if (destination.Length != values) throw new ArgumentException($"destination holds {destination.Length} values, not {values}.");
    }
}
