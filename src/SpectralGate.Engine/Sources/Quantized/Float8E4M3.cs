namespace SpectralGate.Engine.Sources.Quantized;

/// <summary>
/// FP8 E4M3FN (OCP 8-bit floating point spec; PyTorch <c>float8_e4m3fn</c>): sign, 4 exponent bits (bias 7), 3 mantissa
/// bits, subnormals at exponent 0, no infinities, S.1111.111 is NaN. Every value is exact in float32.
/// </summary>
public static class Float8E4M3
{
    private static readonly float[] Table = Build();

    public static float ToSingle(byte bits) => Table[bits];

    private static float[] Build()
    {
        var table = new float[256];
        for (int b = 0; b < 256; b++)
        {
            int exponent = (b >> 3) & 0xF, mantissa = b & 0x7;
            double magnitude = (exponent, mantissa) switch
            {
                (15, 7) => double.NaN,
                (0, _) => mantissa / 8.0 * Math.Pow(2, -6),
                _ => (1 + mantissa / 8.0) * Math.Pow(2, exponent - 7),
            };
            table[b] = (float)((b & 0x80) != 0 ? -magnitude : magnitude);
        }
        return table;
    }
}
