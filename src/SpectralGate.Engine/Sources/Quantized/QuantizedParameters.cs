namespace SpectralGate.Engine.Sources.Quantized;

/// <summary>Reading and checking a quantized weight's parameters for the decoders that call a <c>*Dequantizer</c>.</summary>
internal static class QuantizedParameters
{
    /// <summary>A float parameter's values as float32 (every stored float type but F64 widens exactly).</summary>
    public static float[] Singles(StoredTensor t) => Array.ConvertAll(QuantizedValues.Floats(t), v => (float)v);

    /// <summary>Throws naming <paramref name="t"/> unless its shape is <paramref name="shape"/>.</summary>
    public static void ExpectShape(StoredTensor t, long[] shape, string why)
    {
        if (!t.Shape.SequenceEqual(shape)) throw t.Bad($"is {t.ShapeText}; {why} needs {QuantizedValues.ShapeText(shape)}.");
    }

    /// <summary>Throws naming <paramref name="t"/> unless its dtype is one of <paramref name="dtypes"/>.</summary>
    public static void ExpectDType(StoredTensor t, string why, params string[] dtypes)
    {
        if (!dtypes.Contains(t.DType)) throw t.Bad($"is {t.DType}; {why} is {string.Join(" or ", dtypes)}.");
    }

    /// <summary>The size of a dimension as an int, or an error naming the tensor.</summary>
    public static int Int(StoredTensor t, long size) => size is > 0 and <= int.MaxValue ? (int)size : throw t.Bad($"is {t.ShapeText}; a side of {size} is not read.");
}
