using System.Buffers.Binary;
using SpectralGate.Engine.Sources.Onnx.Proto;
using TorchSharp;
using DataType = SpectralGate.Engine.Sources.Onnx.Proto.TensorProto.Types.DataType;

namespace SpectralGate.Engine.Sources.Onnx;

/// <summary>
/// The integer element types quantized ONNX weights use, as onnx.proto stores them: little-endian in raw_data, or one
/// element per int32_data entry; 4-bit types two to a byte, the first element in the low nibble (in int32_data, one
/// packed byte per entry).
/// </summary>
internal static class OnnxIntegerTypes
{
    /// <summary>Bits per element, or 0 for a type no quantized weight uses.</summary>
    public static int Bits(DataType type) => type switch
    {
        DataType.Int4 or DataType.Uint4 => 4,
        DataType.Int8 or DataType.Uint8 => 8,
        DataType.Int16 or DataType.Uint16 => 16,
        DataType.Int32 => 32,
        _ => 0,
    };

    public static void WriteInt32Data(IReadOnlyList<int> values, int bits, Span<byte> bytes)
    {
        for (int i = 0; i < values.Count; i++)
        {
            switch (bits)
            {
                case 4 or 8: bytes[i] = (byte)values[i]; break;
                case 16: BinaryPrimitives.WriteUInt16LittleEndian(bytes[(2 * i)..], (ushort)values[i]); break;
                default: BinaryPrimitives.WriteInt32LittleEndian(bytes[(4 * i)..], values[i]); break;
            }
        }
    }

    /// <summary>
    /// The integer values of <paramref name="count"/> elements stored as <paramref name="type"/>, as a 1-D float64
    /// tensor (exact: every value has at most 32 bits).
    /// </summary>
    public static torch.Tensor Decode(byte[] bytes, DataType type, long count)
    {
        switch (type)
        {
            case DataType.Int4 or DataType.Uint4:
            {
                using var packed = Raw(bytes, torch.ScalarType.Byte, bytes.LongLength);
                using var low = packed.bitwise_and(0x0F);
                using var high = packed.bitwise_right_shift(4);
                using var pairs = torch.stack([low, high], 1);
                using var nibbles = pairs.reshape(-1).narrow(0, 0, count).to(torch.ScalarType.Float64);
                if (type == DataType.Uint4) return nibbles.clone();
                using var negative = nibbles.ge(8).to(torch.ScalarType.Float64);
                return nibbles - negative * 16; // two's complement of 4 bits
            }
            case DataType.Int8: return Widen(bytes, torch.ScalarType.Int8, count);
            case DataType.Uint8: return Widen(bytes, torch.ScalarType.Byte, count);
            case DataType.Int16: return Widen(bytes, torch.ScalarType.Int16, count);
            case DataType.Int32: return Widen(bytes, torch.ScalarType.Int32, count);
            case DataType.Uint16:
            {
                using var signed = Widen(bytes, torch.ScalarType.Int16, count);
                using var negative = signed.lt(0).to(torch.ScalarType.Float64);
                return signed + negative * 65536;
            }
            default: throw new ArgumentException($"{type} is not an integer type of quantized weights.", nameof(type));
        }
    }

    private static torch.Tensor Widen(byte[] bytes, torch.ScalarType stored, long count)
    {
        using var raw = Raw(bytes, stored, count);
        return raw.to(torch.ScalarType.Float64);
    }

    private static torch.Tensor Raw(byte[] bytes, torch.ScalarType stored, long count)
    {
        var t = torch.empty([count], stored);
        if (bytes.Length > 0)
        {
            if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException("quantized ONNX weights are decoded on little-endian machines only.");
            t.bytes = bytes;
        }
        return t;
    }
}
