namespace SpectralGate.Engine.Sources;

/// <summary>Shape arithmetic the readers share.</summary>
public static class TensorShape
{
    /// <summary>
    /// The element count of <paramref name="shape"/>. Throws <see cref="OverflowException"/> when it overflows 64 bits,
    /// and also when the product of the nonzero dimensions does: libtorch multiplies those to lay out the strides even of
    /// an empty tensor, so [0, 2^40, 2^40] would fail there (found by fuzzing the TorchSharp reader).
    /// </summary>
    public static long CheckedElementCount(ReadOnlySpan<long> shape)
    {
        long elements = 1, strides = 1;
        foreach (long d in shape)
        {
            elements = checked(elements * d);
            strides = checked(strides * Math.Max(d, 1));
        }
        return elements;
    }
}
