namespace SpectralGate.Tests.Support;

/// <summary>
/// ggml's reference quantizers <c>quantize_row_q4_0_ref</c> and <c>quantize_row_q8_0_ref</c> (ggml-quants.c),
/// step for step in float arithmetic, to make the quantized twins of test models. Checked against bytes made by
/// ggml itself (Fixtures/gguf/quantize_*.blocks).
/// </summary>
internal static class GgmlReferenceQuantizer
{
    public static byte[] Q4_0(ReadOnlySpan<float> x)
    {
        const int qk = 32;
        var y = new byte[x.Length / qk * 18];
        for (int i = 0; i < x.Length / qk; i++)
        {
            float amax = 0, max = 0;
            for (int j = 0; j < qk; j++)
            {
                float v = x[i * qk + j];
                if (amax < MathF.Abs(v)) { amax = MathF.Abs(v); max = v; }
            }
            float d = max / -8;
            float id = d != 0 ? 1.0f / d : 0.0f;
            BitConverter.TryWriteBytes(y.AsSpan(i * 18), (Half)d);
            for (int j = 0; j < qk / 2; j++)
            {
                float x0 = x[i * qk + j] * id;
                float x1 = x[i * qk + qk / 2 + j] * id;
                byte xi0 = (byte)Math.Min(15, (int)(sbyte)(x0 + 8.5f));
                byte xi1 = (byte)Math.Min(15, (int)(sbyte)(x1 + 8.5f));
                y[i * 18 + 2 + j] = (byte)(xi0 | (xi1 << 4));
            }
        }
        return y;
    }

    public static byte[] Q8_0(ReadOnlySpan<float> x)
    {
        const int qk = 32;
        var y = new byte[x.Length / qk * 34];
        for (int i = 0; i < x.Length / qk; i++)
        {
            float amax = 0;
            for (int j = 0; j < qk; j++) amax = MathF.Max(amax, MathF.Abs(x[i * qk + j]));
            float d = amax / ((1 << 7) - 1);
            float id = d != 0 ? 1.0f / d : 0.0f;
            BitConverter.TryWriteBytes(y.AsSpan(i * 34), (Half)d);
            for (int j = 0; j < qk; j++) y[i * 34 + 2 + j] = (byte)(sbyte)MathF.Round(x[i * qk + j] * id, MidpointRounding.AwayFromZero);
        }
        return y;
    }
}
