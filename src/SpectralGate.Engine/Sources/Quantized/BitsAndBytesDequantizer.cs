namespace SpectralGate.Engine.Sources.Quantized;

/// <summary>
/// bitsandbytes weights (bitsandbytes/functional.py <c>dequantize_4bit</c>, <c>dequantize_blockwise</c>,
/// <c>int8_vectorwise_dequant</c>; the CPU backend's <c>_dequantize_4bit_impl</c>), in float32 as the library computes.
/// </summary>
public static class BitsAndBytesDequantizer
{
    /// <summary>
    /// NF4/FP4: the flat row-major weight two codes a byte, the <b>high</b> nibble first (<c>out[::2] = A &gt;&gt; 4</c>,
    /// <c>out[1::2] = A &amp; 0xF</c>); value = quant_map[code] · absmax[i / blocksize] in float32, stored as the
    /// quant state's dtype. The last block may be short.
    /// </summary>
    public static void Decode4Bit(ReadOnlySpan<byte> packed, ReadOnlySpan<float> quantMap, ReadOnlySpan<float> absmax, int blockSize, Span<float> destination, TensorDType store)
    {
        long n = destination.Length;
        if (quantMap.Length != 16) throw new ArgumentException($"quant_map has {quantMap.Length} values; a 4-bit code book has 16.");
        if (blockSize <= 0) throw new ArgumentException($"blocksize {blockSize} is not positive.");
        if (packed.Length != (n + 1) / 2) throw new ArgumentException($"packed weight has {packed.Length} bytes; {n} 4-bit values need {(n + 1) / 2}.");
        long blocks = (n + blockSize - 1) / blockSize;
        if (absmax.Length != blocks) throw new ArgumentException($"absmax has {absmax.Length} values; {n} values in blocks of {blockSize} need {blocks}.");
        for (int i = 0; i < n; i++)
        {
            byte pair = packed[i / 2];
            int code = (i & 1) == 0 ? pair >> 4 : pair & 0xF;
            destination[i] = QuantizedValues.Round(quantMap[code] * absmax[i / blockSize], store);
        }
    }

    /// <summary>
    /// Double quantization's absmax: <c>dequantize_blockwise(absmax_u8, state2) + offset</c>, i.e.
    /// nested_quant_map[code] · nested_absmax[i / nested_blocksize] + offset, in float32.
    /// </summary>
    public static float[] NestedAbsmax(ReadOnlySpan<byte> codes, ReadOnlySpan<float> nestedQuantMap, ReadOnlySpan<float> nestedAbsmax, int nestedBlockSize, float offset)
    {
        if (nestedQuantMap.Length != 256) throw new ArgumentException($"nested_quant_map has {nestedQuantMap.Length} values; an 8-bit code book has 256.");
        if (nestedBlockSize <= 0) throw new ArgumentException($"nested_blocksize {nestedBlockSize} is not positive.");
        long blocks = ((long)codes.Length + nestedBlockSize - 1) / nestedBlockSize;
        if (nestedAbsmax.Length != blocks)
            throw new ArgumentException($"nested_absmax has {nestedAbsmax.Length} values; {codes.Length} absmax codes in blocks of {nestedBlockSize} need {blocks}.");
        var result = new float[codes.Length];
        for (int i = 0; i < codes.Length; i++) result[i] = nestedQuantMap[codes[i]] * nestedAbsmax[i / nestedBlockSize] + offset;
        return result;
    }

    /// <summary>1/127 as bitsandbytes writes it (<c>A * stats.view(-1, 1) * 7.874015718698502e-3</c>), a float32 operand.</summary>
    private const float Reciprocal127 = (float)7.874015718698502e-3;

    /// <summary>LLM.int8 (<c>Linear8bitLt</c>): int8 <c>[rows, cols]</c> and the row absmax <c>SCB</c>; w = q · SCB[row] · (1/127).</summary>
    public static void DecodeInt8(ReadOnlySpan<sbyte> weight, ReadOnlySpan<float> scb, int rows, int cols, Span<float> destination)
    {
        if (weight.Length != (long)rows * cols) throw new ArgumentException($"int8 weight has {weight.Length} values; [{rows}, {cols}] needs {(long)rows * cols}.");
        if (scb.Length != rows) throw new ArgumentException($"SCB has {scb.Length} values; one per row of [{rows}, {cols}] needs {rows}.");
        if (destination.Length != weight.Length) throw new ArgumentException($"destination holds {destination.Length} values, not {weight.Length}.");
        for (int r = 0; r < rows; r++)
            for (int c = 0; c < cols; c++)
                destination[r * cols + c] = weight[r * cols + c] * scb[r] * Reciprocal127;
    }
}
