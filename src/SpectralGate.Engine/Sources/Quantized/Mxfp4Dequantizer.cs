namespace SpectralGate.Engine.Sources.Quantized;

/// <summary>
/// gpt-oss MXFP4 experts (<c>*_blocks</c> U8 <c>[E, rows, G, 16]</c>, <c>*_scales</c> U8 <c>[E, rows, G]</c>), decoded as
/// transformers' integrations/mxfp4.py <c>convert_moe_packed_tensors</c> ("copied from GPT_OSS repo") does: 32 values a
/// block, the low nibble the even index, value = FP4_VALUES[code] · 2^(scale − 127) (<c>torch.ldexp</c>: exact), rows
/// reshaped to <c>[E, rows, G·32]</c> and transposed to <c>[E, G·32, rows]</c>, the layout of the bfloat16 checkpoint's
/// <c>gate_up_proj</c>/<c>down_proj</c>, so a float twin compares expert by expert.
/// </summary>
public static class Mxfp4Dequantizer
{
    public const int BytesPerBlock = 16;
    public const int ValuesPerBlock = 32;

    public static void DecodeExperts(ReadOnlySpan<byte> blocks, ReadOnlySpan<byte> scales, int experts, int rows, int groups, Span<float> destination, TensorDType store)
    {
        long values = (long)experts * rows * groups * ValuesPerBlock;
        if (experts <= 0 || rows <= 0 || groups <= 0) throw new ArgumentException($"expert blocks [{experts}, {rows}, {groups}, {BytesPerBlock}] are empty.");
        if (blocks.Length != values / 2)
            throw new ArgumentException($"blocks have {blocks.Length} bytes; [{experts}, {rows}, {groups}, {BytesPerBlock}] needs {values / 2}.");
        if (scales.Length != (long)experts * rows * groups)
            throw new ArgumentException($"scales have {scales.Length} values; one per block needs [{experts}, {rows}, {groups}] = {(long)experts * rows * groups}.");
        if (destination.Length != values) throw new ArgumentException($"destination holds {destination.Length} values, not {values}.");
        int cols = groups * ValuesPerBlock;
        for (int e = 0; e < experts; e++)
            for (int r = 0; r < rows; r++)
                for (int g = 0; g < groups; g++)
                {
                    long block = ((long)e * rows + r) * groups + g;
                    int exponent = scales[(int)block] - 127;
                    for (int j = 0; j < BytesPerBlock; j++)
                    {
                        byte pair = blocks[(int)(block * BytesPerBlock + j)];
                        int k = g * ValuesPerBlock + 2 * j;
                        long at = ((long)e * cols + k) * rows + r;
                        destination[(int)at] = QuantizedValues.Round((float)Math.ScaleB(Fp4E2M1.ToSingle(pair & 0xF), exponent), store);
                        destination[(int)(at + rows)] = QuantizedValues.Round((float)Math.ScaleB(Fp4E2M1.ToSingle(pair >> 4), exponent), store);
                    }
                }
    }
}
