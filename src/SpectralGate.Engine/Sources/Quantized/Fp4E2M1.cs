namespace SpectralGate.Engine.Sources.Quantized;

/// <summary>
/// FP4 E2M1 (OCP MX spec): bit 3 the sign, bits 0-2 an index into {0, 0.5, 1, 1.5, 2, 3, 4, 6}. The table of
/// transformers' <c>FP4_VALUES</c> and compressed-tensors' <c>FLOAT_TO_E2M1</c>; code 8 is -0.
/// </summary>
public static class Fp4E2M1
{
    private static readonly float[] Values = [0f, 0.5f, 1f, 1.5f, 2f, 3f, 4f, 6f, -0f, -0.5f, -1f, -1.5f, -2f, -3f, -4f, -6f];

    public static float ToSingle(int code) => Values[code & 0xF];
}
