using TorchSharp;
using static TorchSharp.torch;

namespace SpectralGate.Engine.Tests.Sources.Quantized;

/// <summary>Helpers the quantized-layout tests use to pack weights as the libraries do, written from the formats' specs.</summary>
internal static class QuantizedTestMath
{
    /// <summary>A seeded Gaussian matrix in float32.</summary>
    public static float[] Gaussian(int rows, int cols, int seed)
    {
        var random = new Random(seed);
        var values = new float[rows * cols];
        for (int i = 0; i < values.Length; i++)
            values[i] = (float)(Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble()));
        return values;
    }

    /// <summary>E4M3FN from its definition: bias 7, subnormal below exponent 1, 0x7F/0xFF NaN.</summary>
    public static double E4M3(int bits)
    {
        int e = (bits >> 3) & 15, m = bits & 7;
        double v = e == 0 ? m / 8.0 / 64 : (1 + m / 8.0) * Math.Pow(2, e - 7);
        if (e == 15 && m == 7) v = double.NaN;
        return (bits & 0x80) != 0 ? -v : v;
    }

    /// <summary>The E4M3 code nearest a positive value (the cast a quantizer does before storing the scale).</summary>
    public static byte ToE4M3(double value)
    {
        int best = 0;
        for (int b = 0; b < 0x7F; b++) if (Math.Abs(E4M3(b) - value) < Math.Abs(E4M3(best) - value)) best = b;
        return (byte)best;
    }

    public static readonly double[] E2M1 = [0, 0.5, 1, 1.5, 2, 3, 4, 6];

    /// <summary>The 4-bit E2M1 code nearest x: magnitude index, sign in bit 3 (compressed-tensors' <c>pack_fp4_to_uint8</c> argmin).</summary>
    public static int ToE2M1(double x)
    {
        int best = 0;
        for (int i = 1; i < 8; i++) if (Math.Abs(E2M1[i] - Math.Abs(x)) < Math.Abs(E2M1[best] - Math.Abs(x))) best = i;
        return best | (x < 0 ? 8 : 0);
    }

    public static float[] Floats(Tensor t) => t.to_type(ScalarType.Float32).contiguous().data<float>().ToArray();

    public static void BitEqual(float[] actual, float[] expected)
    {
        Assert.That(actual, Has.Length.EqualTo(expected.Length));
        for (int i = 0; i < actual.Length; i++)
            if (BitConverter.SingleToInt32Bits(actual[i]) != BitConverter.SingleToInt32Bits(expected[i]))
                Assert.Fail($"value {i}: decoded {actual[i]:R}, reference {expected[i]:R}");
    }

    /// <summary>‖a − b‖_F / ‖b‖_F.</summary>
    public static double RelativeError(float[] a, float[] b)
    {
        double num = 0, den = 0;
        for (int i = 0; i < a.Length; i++) { num += Math.Pow(a[i] - b[i], 2); den += (double)b[i] * b[i]; }
        return Math.Sqrt(num / den);
    }
}
