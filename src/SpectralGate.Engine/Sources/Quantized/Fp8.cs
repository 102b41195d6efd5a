namespace SpectralGate.Engine.Sources.Quantized;

/// <summary>
/// The 8-bit float formats safetensors stores (huggingface/safetensors <c>safetensors/src/tensor.rs</c> <c>Dtype</c>),
/// decoded exactly as the OCP 8-bit floating point specification (OFP8, 2023) defines them and PyTorch implements
/// them (c10/util/Float8_e4m3fn.h, Float8_e5m2.h): E4M3 is "fn" (finite: no infinities, NaN only at S.1111.111), E5M2
/// follows IEEE (S.11111.00 infinite, S.11111.xx NaN), E8M0 is a bare exponent 2^(e−127) with 0xFF NaN.
/// </summary>
public static class Fp8
{
    private static readonly double[] E4M3Table = Build(E4M3Bits);
    private static readonly double[] E5M2Table = Build(E5M2Bits);

    public static double E4M3(byte bits) => E4M3Table[bits];

    public static double E5M2(byte bits) => E5M2Table[bits];

    public static double E8M0(byte bits) => bits == 0xFF ? double.NaN : Math.ScaleB(1.0, bits - 127);

    private static double[] Build(Func<byte, double> decode)
    {
        var table = new double[256];
        for (int i = 0; i < 256; i++) table[i] = decode((byte)i);
        return table;
    }

    // Sign, 4 exponent bits (bias 7), 3 mantissa bits; exponent 0 is subnormal (m/8 · 2^-6).
    private static double E4M3Bits(byte b)
    {
        double sign = (b & 0x80) != 0 ? -1 : 1;
        int e = (b >> 3) & 0xF, m = b & 0x7;
        if (e == 0xF && m == 0x7) return double.NaN;
        return sign * (e == 0 ? Math.ScaleB(m / 8.0, -6) : Math.ScaleB(1 + m / 8.0, e - 7));
    }

    // Sign, 5 exponent bits (bias 15), 2 mantissa bits; exponent 0 is subnormal (m/4 · 2^-14).
    private static double E5M2Bits(byte b)
    {
        double sign = (b & 0x80) != 0 ? -1 : 1;
        int e = (b >> 2) & 0x1F, m = b & 0x3;
        if (e == 0x1F) return m == 0 ? sign * double.PositiveInfinity : double.NaN;
        return sign * (e == 0 ? Math.ScaleB(m / 4.0, -14) : Math.ScaleB(1 + m / 4.0, e - 15));
    }
}
