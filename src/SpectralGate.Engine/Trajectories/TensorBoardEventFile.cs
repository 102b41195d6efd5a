using System.Buffers.Binary;
using System.Numerics;
using Google.Protobuf;

namespace SpectralGate.Engine.Trajectories;

/// <summary>
/// TensorBoard's event file: a TFRecord stream (tensorflow/core/lib/io/record_writer.cc: uint64 length, masked CRC-32C
/// of the length, the data, masked CRC-32C of the data, all little-endian) of <c>Event</c> protos
/// (tensorflow/core/util/event.proto: <c>wall_time</c> = 1 double, <c>step</c> = 2 int64, <c>file_version</c> = 3,
/// <c>summary</c> = 5), whose <c>Summary</c> (tensorflow/core/framework/summary.proto) holds repeated <c>Value</c> =
/// 1 with <c>tag</c> = 1 and <c>simple_value</c> = 2 float. The first event states the file version, as TensorFlow's
/// writer does. Wall times are 0 (omitted, proto3's default) so the same values give the same bytes: read the curves
/// against the step.
/// </summary>
public static class TensorBoardEventFile
{
    /// <summary>What every event file starts with (TensorFlow's <c>EventsWriter</c>, TensorBoard reads either version).</summary>
    public const string FileVersion = "brain.Event:2";

    /// <summary>The framed event that opens a file.</summary>
    public static byte[] FileVersionEvent()
    {
        using var data = new MemoryStream();
        using (var output = new CodedOutputStream(data, leaveOpen: true))
        {
            output.WriteTag(3, WireFormat.WireType.LengthDelimited);
            output.WriteString(FileVersion);
        }
        return Frame(data.ToArray());
    }

    /// <summary>
    /// The framed event of one step holding every (tag, value) given, in the order given. <c>simple_value</c> is a float, as
    /// TensorBoard stores scalars; it sits in a oneof, so a 0 is written (its presence is the point).
    /// </summary>
    public static byte[] ScalarEvent(long step, IEnumerable<(string Tag, float Value)> values)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(step);
        using var summary = new MemoryStream();
        using (var output = new CodedOutputStream(summary, leaveOpen: true))
            foreach (var (tag, value) in values)
            {
                using var valueBytes = new MemoryStream();
                using (var v = new CodedOutputStream(valueBytes, leaveOpen: true))
                {
                    v.WriteTag(1, WireFormat.WireType.LengthDelimited);
                    v.WriteString(tag);
                    v.WriteTag(2, WireFormat.WireType.Fixed32);
                    v.WriteFloat(value);
                }
                output.WriteTag(1, WireFormat.WireType.LengthDelimited);
                output.WriteBytes(ByteString.CopyFrom(valueBytes.ToArray()));
            }

        using var data = new MemoryStream();
        using (var output = new CodedOutputStream(data, leaveOpen: true))
        {
            if (step != 0)
            {
                output.WriteTag(2, WireFormat.WireType.Varint);
                output.WriteInt64(step);
            }
            output.WriteTag(5, WireFormat.WireType.LengthDelimited);
            output.WriteBytes(ByteString.CopyFrom(summary.ToArray()));
        }
        return Frame(data.ToArray());
    }

    /// <summary>One TFRecord: length, its masked CRC, the data, the data's masked CRC.</summary>
    public static byte[] Frame(ReadOnlySpan<byte> data)
    {
        var record = new byte[8 + 4 + data.Length + 4];
        BinaryPrimitives.WriteUInt64LittleEndian(record, (ulong)data.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(record.AsSpan(8), MaskedCrc32C(record.AsSpan(0, 8)));
        data.CopyTo(record.AsSpan(12));
        BinaryPrimitives.WriteUInt32LittleEndian(record.AsSpan(12 + data.Length), MaskedCrc32C(data));
        return record;
    }

    /// <summary>TFRecord's CRC mask (tensorflow/core/lib/hash/crc32c.h <c>Mask</c>): rotate right by 15 bits, add 0xa282ead8.</summary>
    public static uint MaskedCrc32C(ReadOnlySpan<byte> data)
    {
        uint crc = Crc32C(data);
        return ((crc >> 15) | (crc << 17)) + 0xa282ead8u;
    }

    /// <summary>CRC-32C (Castagnoli, RFC 3720 appendix B.4): 32 zero bytes give 0x8A9136AA.</summary>
    public static uint Crc32C(ReadOnlySpan<byte> data)
    {
        // BitOperations.Crc32C is the raw update (the SSE4.2/ARMv8 instruction); the standard CRC starts and ends inverted.
        uint crc = ~0u;
        while (data.Length >= 8)
        {
            crc = BitOperations.Crc32C(crc, BinaryPrimitives.ReadUInt64LittleEndian(data));
            data = data[8..];
        }
        foreach (byte b in data) crc = BitOperations.Crc32C(crc, b);
        return ~crc;
    }
}
