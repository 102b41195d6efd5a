using System.Buffers.Binary;
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
            ? torch.tensor(DecodeDouble(bytes, dtype, count), shape, torch.ScalarType.Float64)
            : torch.tensor(DecodeSingle(bytes, dtype, count), shape, torch.ScalarType.Float32);
        if (device.type == DeviceType.CPU) return cpu;
        using (cpu) return cpu.to(device);
    }

    private static torch.ScalarType StoredType(TensorDType dtype) => dtype switch
    {
        TensorDType.Float64 => torch.ScalarType.Float64,
        TensorDType.Float32 => torch.ScalarType.Float32,
        TensorDType.Float16 => torch.ScalarType.Float16,
        TensorDType.BFloat16 => torch.ScalarType.BFloat16,
        _ => throw new ArgumentException($"dtype {dtype} cannot be decoded.", nameof(dtype)),
    };

    /// <summary>The same decoding into managed doubles, for readers and tests that need the values themselves.</summary>
    public static double[] DecodeDouble(ReadOnlySpan<byte> bytes, TensorDType dtype, long count)
    {
        var values = new double[count];
        switch (dtype)
        {
            case TensorDType.Float64:
                if (BitConverter.IsLittleEndian) MemoryMarshal.Cast<byte, double>(bytes).CopyTo(values);
                else for (int i = 0; i < count; i++) values[i] = BinaryPrimitives.ReadDoubleLittleEndian(bytes[(8 * i)..]);
                break;
            case TensorDType.Float32:
                for (int i = 0; i < count; i++) values[i] = BinaryPrimitives.ReadSingleLittleEndian(bytes[(4 * i)..]);
                break;
            case TensorDType.Float16:
                for (int i = 0; i < count; i++) values[i] = (double)BinaryPrimitives.ReadHalfLittleEndian(bytes[(2 * i)..]);
                break;
            case TensorDType.BFloat16:
                for (int i = 0; i < count; i++) values[i] = BFloat16ToSingle(BinaryPrimitives.ReadUInt16LittleEndian(bytes[(2 * i)..]));
                break;
            default:
                throw new ArgumentException($"dtype {dtype} cannot be decoded.", nameof(dtype));
        }
        return values;
    }

    public static float[] DecodeSingle(ReadOnlySpan<byte> bytes, TensorDType dtype, long count)
    {
        var values = new float[count];
        switch (dtype)
        {
            case TensorDType.Float64:
                for (int i = 0; i < count; i++) values[i] = (float)BinaryPrimitives.ReadDoubleLittleEndian(bytes[(8 * i)..]);
                break;
            case TensorDType.Float32:
                if (BitConverter.IsLittleEndian) MemoryMarshal.Cast<byte, float>(bytes).CopyTo(values);
                else for (int i = 0; i < count; i++) values[i] = BinaryPrimitives.ReadSingleLittleEndian(bytes[(4 * i)..]);
                break;
            case TensorDType.Float16:
                for (int i = 0; i < count; i++) values[i] = (float)BinaryPrimitives.ReadHalfLittleEndian(bytes[(2 * i)..]);
                break;
            case TensorDType.BFloat16:
                for (int i = 0; i < count; i++) values[i] = BFloat16ToSingle(BinaryPrimitives.ReadUInt16LittleEndian(bytes[(2 * i)..]));
                break;
            default:
                throw new ArgumentException($"dtype {dtype} cannot be decoded.", nameof(dtype));
        }
        return values;
    }

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
