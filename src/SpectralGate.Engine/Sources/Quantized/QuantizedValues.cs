using System.Buffers.Binary;

namespace SpectralGate.Engine.Sources.Quantized;

/// <summary>Reading the stored values decoders share: integers, floats of every safetensors float dtype, packed bit fields, and the rounding of a dequantized value.</summary>
public static class QuantizedValues
{
    /// <summary>The float type a stored float dtype widens to exactly, for a dequantized weight's <see cref="QuantizedWeight.DType"/>.</summary>
    public static TensorDType DTypeOf(StoredTensor scale) => scale.DType switch
    {
        "F64" => TensorDType.Float64,
        "F16" => TensorDType.Float16,
        "BF16" => TensorDType.BFloat16,
        _ => TensorDType.Float32,
    };

    public static bool IsFloat(string dtype) => dtype is "F64" or "F32" or "F16" or "BF16" or "F8_E4M3" or "F8_E5M2" or "F8_E8M0";

    public static bool IsInteger(string dtype) => dtype is "I8" or "U8" or "I16" or "U16" or "I32" or "U32" or "I64" or "U64";

    /// <summary>Every value of a float tensor, widened exactly to double; throws naming the tensor when it is not a float type.</summary>
    public static double[] Floats(StoredTensor t)
    {
        if (!IsFloat(t.DType)) throw t.Bad($"is {t.DType}; a quantization scale must be a float type.");
        byte[] b = t.ReadBytes();
        var values = new double[t.ElementCount];
        for (int i = 0; i < values.Length; i++)
            values[i] = t.DType switch
            {
                "F64" => BinaryPrimitives.ReadDoubleLittleEndian(b.AsSpan(8 * i)),
                "F32" => BinaryPrimitives.ReadSingleLittleEndian(b.AsSpan(4 * i)),
                "F16" => (double)BinaryPrimitives.ReadHalfLittleEndian(b.AsSpan(2 * i)),
                "BF16" => TensorData.BFloat16ToSingle(BinaryPrimitives.ReadUInt16LittleEndian(b.AsSpan(2 * i))),
                "F8_E4M3" => Fp8.E4M3(b[i]),
                "F8_E5M2" => Fp8.E5M2(b[i]),
                _ => Fp8.E8M0(b[i]),
            };
        return values;
    }

    /// <summary>Every value of an integer tensor, as stored (signed types sign-extended, unsigned ones not).</summary>
    public static long[] Integers(StoredTensor t)
    {
        if (!IsInteger(t.DType)) throw t.Bad($"is {t.DType}, not an integer type.");
        byte[] b = t.ReadBytes();
        var values = new long[t.ElementCount];
        for (int i = 0; i < values.Length; i++)
            values[i] = t.DType switch
            {
                "I8" => (sbyte)b[i],
                "U8" => b[i],
                "I16" => BinaryPrimitives.ReadInt16LittleEndian(b.AsSpan(2 * i)),
                "U16" => BinaryPrimitives.ReadUInt16LittleEndian(b.AsSpan(2 * i)),
                "I32" => BinaryPrimitives.ReadInt32LittleEndian(b.AsSpan(4 * i)),
                "U32" => BinaryPrimitives.ReadUInt32LittleEndian(b.AsSpan(4 * i)),
                "I64" => BinaryPrimitives.ReadInt64LittleEndian(b.AsSpan(8 * i)),
                _ => (long)BinaryPrimitives.ReadUInt64LittleEndian(b.AsSpan(8 * i)),
            };
        return values;
    }

    /// <summary>The 32-bit words of an <c>I32</c> or <c>U32</c> tensor, as unsigned bit patterns.</summary>
    public static uint[] Words(StoredTensor t)
    {
        if (t.DType is not ("I32" or "U32")) throw t.Bad($"is {t.DType}; packed 32-bit words must be I32 or U32.");
        byte[] b = t.ReadBytes();
        var words = new uint[t.ElementCount];
        for (int i = 0; i < words.Length; i++) words[i] = BinaryPrimitives.ReadUInt32LittleEndian(b.AsSpan(4 * i));
        return words;
    }

    /// <summary>
    /// Field <paramref name="index"/> of <paramref name="bits"/> bits of a little-endian bit stream laid over 32-bit
    /// words <paramref name="first"/>, <paramref name="first"/> + <paramref name="stride"/>, ...: field k starts at bit
    /// bits·k, and a field that straddles two words (3-bit codes) takes its high bits from the low bits of the next.
    /// </summary>
    public static uint Field(uint[] words, long first, long stride, long index, int bits)
    {
        long bit = index * bits;
        long word = bit >> 5;
        int shift = (int)(bit & 31);
        ulong pair = words[first + word * stride];
        if (shift + bits > 32) pair |= (ulong)words[first + (word + 1) * stride] << 32;
        return (uint)(pair >> shift) & (uint)((1UL << bits) - 1);
    }

    /// <summary>
    /// An exact dequantized value rounded as the library's float arithmetic leaves it: once to float32 (the product
    /// of a code and a scale is computed in float32 at least), then to the scale's type.
    /// </summary>
    public static float Round(double exact, TensorDType dtype)
    {
        float single = (float)exact;
        return dtype switch
        {
            TensorDType.Float16 => (float)(Half)single,
            TensorDType.BFloat16 => TensorData.BFloat16ToSingle(TensorData.SingleToBFloat16(single)),
            _ => single,
        };
    }

    /// <summary>A shape as written in messages.</summary>
    public static string ShapeText(IEnumerable<long> shape) => "[" + string.Join(", ", shape) + "]";
}
