using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.InteropServices;
using TorchSharp;

namespace SpectralGate.Engine.Sources;

/// <summary>Turns the little-endian bytes a checkpoint stores into a compute tensor (float32 or float64).</summary>
public static class TensorData
{
    /// <summary>
    /// Decodes <paramref name="bytes"/> (exactly elements x dtype size) into a tensor of <paramref name="computeType"/>
    /// on <paramref name="device"/>. Half and bfloat16 widen exactly; float64 narrows when float32 is asked.
    /// </summary>
    public static torch.Tensor ToTensor(ReadOnlySpan<byte> bytes, TensorDType dtype, long[] shape, torch.ScalarType computeType, torch.Device device)
    {
        long count = shape.Aggregate(1L, (a, b) => a * b);
        if (dtype.Size() == 0) throw new ArgumentException($"dtype {dtype} cannot be decoded.", nameof(dtype));
        if (bytes.Length != count * dtype.Size())
            throw new ArgumentException($"expected {count * dtype.Size()} bytes for shape [{string.Join(", ", shape)}] of {dtype}, got {bytes.Length}.", nameof(bytes));

        if (BitConverter.IsLittleEndian)
        {
            // Copy the stored bytes straight into a tensor of the stored dtype and let libtorch widen it (exactly):
            // no managed array of the decoded values, so peak memory is the stored tensor plus the compute tensor.
            using var stored = torch.empty(shape, StoredType(dtype));
            if (bytes.Length > 0) stored.bytes = MemoryMarshal.CreateSpan(ref MemoryMarshal.GetReference(bytes), bytes.Length);
            return stored.to(computeType, device);
        }
        torch.Tensor cpu = computeType == torch.ScalarType.Float64
            ? torch.tensor(Decode<double>(bytes, dtype, count), shape, torch.ScalarType.Float64)
            : torch.tensor(Decode<float>(bytes, dtype, count), shape, torch.ScalarType.Float32);
        if (device.type == DeviceType.CPU) return cpu;
        using (cpu) return cpu.to(device);
    }

    /// <summary>Writes a tensor's stored bytes into the span given (exactly the tensor's byte length).</summary>
    public delegate void StoredBytesReader(Span<byte> into);

    /// <summary>
    /// As <see cref="ToTensor"/>, with the stored bytes read straight into the stored-dtype tensor's memory: no managed
    /// array to allocate, zero and copy from (a file read lands where libtorch widens it).
    /// </summary>
    public static torch.Tensor ReadTensor(TensorDType dtype, long[] shape, torch.ScalarType computeType, torch.Device device, StoredBytesReader read)
    {
        long count = shape.Aggregate(1L, (a, b) => a * b);
        if (dtype.Size() == 0) throw new ArgumentException($"dtype {dtype} cannot be decoded.", nameof(dtype));
        if (!BitConverter.IsLittleEndian || count * dtype.Size() > int.MaxValue)
        {
            var bytes = new byte[count * dtype.Size()];
            read(bytes);
            return ToTensor(bytes, dtype, shape, computeType, device);
        }
        using var stored = torch.empty(shape, StoredType(dtype));
        if (count > 0) read(stored.bytes);
        return stored.to(computeType, device);
    }

    internal static torch.ScalarType StoredType(TensorDType dtype) => dtype switch
    {
        TensorDType.Float64 => torch.ScalarType.Float64,
        TensorDType.Float32 => torch.ScalarType.Float32,
        TensorDType.Float16 => torch.ScalarType.Float16,
        TensorDType.BFloat16 => torch.ScalarType.BFloat16,
        _ => throw new ArgumentException($"dtype {dtype} cannot be decoded.", nameof(dtype)),
    };

    /// <summary>
    /// The same decoding into managed values, element by element (the big-endian path; on little-endian hosts libtorch
    /// widens the stored tensor). Every stored value widens to double exactly, then rounds once to <typeparamref name="T"/>.
    /// </summary>
    public static T[] Decode<T>(ReadOnlySpan<byte> bytes, TensorDType dtype, long count) where T : IFloatingPointIeee754<T>
    {
        if (dtype.Size() == 0) throw new ArgumentException($"dtype {dtype} cannot be decoded.", nameof(dtype));
        var values = new T[count];
        for (int i = 0; i < count; i++) values[i] = T.CreateTruncating(ReadAsDouble(bytes, dtype, i));
        return values;
    }

    // The decoders of the first packages (SpectralAssert.Sources), kept one major version.
    [Obsolete("Use Decode<double> (CHANGELOG.md).")]
    public static double[] DecodeDouble(ReadOnlySpan<byte> bytes, TensorDType dtype, long count) => Decode<double>(bytes, dtype, count);

    [Obsolete("Use Decode<float> (CHANGELOG.md).")]
    public static float[] DecodeSingle(ReadOnlySpan<byte> bytes, TensorDType dtype, long count) => Decode<float>(bytes, dtype, count);

    private static double ReadAsDouble(ReadOnlySpan<byte> bytes, TensorDType dtype, int i) => dtype switch
    {
        TensorDType.Float64 => BinaryPrimitives.ReadDoubleLittleEndian(bytes[(8 * i)..]),
        TensorDType.Float32 => BinaryPrimitives.ReadSingleLittleEndian(bytes[(4 * i)..]),
        TensorDType.Float16 => (double)BinaryPrimitives.ReadHalfLittleEndian(bytes[(2 * i)..]),
        TensorDType.BFloat16 => BFloat16ToSingle(BinaryPrimitives.ReadUInt16LittleEndian(bytes[(2 * i)..])),
        _ => throw new ArgumentException($"dtype {dtype} cannot be decoded.", nameof(dtype)),
    };

    /// <summary>bfloat16 is the top half of an IEEE float32, so widening is a shift.</summary>
    public static float BFloat16ToSingle(ushort bits) => BitConverter.Int32BitsToSingle(bits << 16);

    /// <summary>Rounds to nearest even, as PyTorch does when it casts float32 to bfloat16.</summary>
    public static ushort SingleToBFloat16(float value)
    {
        uint bits = (uint)BitConverter.SingleToInt32Bits(value);
        if (float.IsNaN(value)) return (ushort)((bits >> 16) | 0x40);
        uint rounding = 0x7FFF + ((bits >> 16) & 1);
        return (ushort)((bits + rounding) >> 16);
    }
}
