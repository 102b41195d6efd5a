using System.Buffers.Binary;
using System.Text;

namespace SpectralGate.Tests.Support;

/// <summary>One decoded TensorBoard <c>Event</c>: its wall time, step, file version (first event) and scalar values.</summary>
internal sealed record DecodedEvent(double WallTime, long Step, string? FileVersion, IReadOnlyList<(string Tag, float Value)> Values);

/// <summary>
/// A reader of TensorBoard event files written from the published layouts, independent of the engine's writer:
/// TFRecord framing (tensorflow/core/lib/io/record_writer.cc: uint64 LE length, masked CRC-32C of the 8 length bytes,
/// data, masked CRC-32C of the data), the CRC by its bitwise definition (RFC 3720 B.4, reflected polynomial 0x82F63B78)
/// and the protobuf wire format decoded by hand for <c>Event</c> (event.proto: wall_time 1 double, step 2 int64,
/// file_version 3 string, summary 5) and <c>Summary.Value</c> (summary.proto: tag 1, simple_value 2 float). Every check
/// that fails throws, naming the offset.
/// </summary>
internal static class TensorBoardEvents
{
    public static IReadOnlyList<DecodedEvent> Read(string path) => Decode(File.ReadAllBytes(path));

    public static IReadOnlyList<DecodedEvent> Decode(byte[] file)
    {
        var events = new List<DecodedEvent>();
        int at = 0;
        while (at < file.Length)
        {
            if (file.Length - at < 12) throw new FormatException($"offset {at}: {file.Length - at} bytes left, a record header needs 12.");
            ulong length = BinaryPrimitives.ReadUInt64LittleEndian(file.AsSpan(at));
            uint lengthCrc = BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(at + 8));
            if (lengthCrc != Masked(Crc32C(file.AsSpan(at, 8)))) throw new FormatException($"offset {at}: the length's CRC does not match.");
            if (length > (ulong)(file.Length - at - 16)) throw new FormatException($"offset {at}: length {length} runs past the end.");
            var data = file.AsSpan(at + 12, (int)length);
            uint dataCrc = BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(at + 12 + (int)length));
            if (dataCrc != Masked(Crc32C(data))) throw new FormatException($"offset {at}: the data's CRC does not match.");
            events.Add(DecodeEvent(data.ToArray()));
            at += 16 + (int)length;
        }
        return events;
    }

    /// <summary>CRC-32C bit by bit: reflected polynomial 0x82F63B78, initial and final inversion.</summary>
    public static uint Crc32C(ReadOnlySpan<byte> data)
    {
        uint crc = 0xFFFFFFFF;
        foreach (byte b in data)
        {
            crc ^= b;
            for (int bit = 0; bit < 8; bit++) crc = (crc & 1) != 0 ? (crc >> 1) ^ 0x82F63B78 : crc >> 1;
        }
        return crc ^ 0xFFFFFFFF;
    }

    /// <summary>tensorflow/core/lib/hash/crc32c.h: ((crc &gt;&gt; 15) | (crc &lt;&lt; 17)) + 0xa282ead8.</summary>
    public static uint Masked(uint crc) => unchecked(((crc >> 15) | (crc << 17)) + 0xa282ead8);

    private static DecodedEvent DecodeEvent(byte[] data)
    {
        double wallTime = 0;
        long step = 0;
        string? fileVersion = null;
        var values = new List<(string, float)>();
        int at = 0;
        while (at < data.Length)
        {
            ulong key = Varint(data, ref at);
            int field = (int)(key >> 3), wire = (int)(key & 7);
            switch (field, wire)
            {
                case (1, 1): wallTime = BinaryPrimitives.ReadDoubleLittleEndian(data.AsSpan(at)); at += 8; break;
                case (2, 0): step = (long)Varint(data, ref at); break;
                case (3, 2): fileVersion = Encoding.UTF8.GetString(Bytes(data, ref at)); break;
                case (5, 2): values.AddRange(DecodeSummary(Bytes(data, ref at))); break;
                default: throw new FormatException($"Event: unexpected field {field} with wire type {wire}.");
            }
        }
        return new DecodedEvent(wallTime, step, fileVersion, values);
    }

    private static IEnumerable<(string, float)> DecodeSummary(byte[] summary)
    {
        var values = new List<(string, float)>();
        int at = 0;
        while (at < summary.Length)
        {
            ulong key = Varint(summary, ref at);
            if (key != (1 << 3 | 2)) throw new FormatException($"Summary: unexpected key {key}.");
            byte[] value = Bytes(summary, ref at);
            string? tag = null;
            float? simple = null;
            int v = 0;
            while (v < value.Length)
            {
                ulong valueKey = Varint(value, ref v);
                if (valueKey == (1 << 3 | 2)) tag = Encoding.UTF8.GetString(Bytes(value, ref v));
                else if (valueKey == (2 << 3 | 5)) { simple = BinaryPrimitives.ReadSingleLittleEndian(value.AsSpan(v)); v += 4; }
                else throw new FormatException($"Summary.Value: unexpected key {valueKey}.");
            }
            values.Add((tag ?? throw new FormatException("Summary.Value without a tag."), simple ?? throw new FormatException($"{tag}: no simple_value.")));
        }
        return values;
    }

    private static ulong Varint(byte[] data, ref int at)
    {
        ulong value = 0;
        for (int shift = 0; ; shift += 7)
        {
            byte b = data[at++];
            value |= (ulong)(b & 0x7F) << shift;
            if ((b & 0x80) == 0) return value;
        }
    }

    private static byte[] Bytes(byte[] data, ref int at)
    {
        int length = (int)Varint(data, ref at);
        byte[] bytes = data.AsSpan(at, length).ToArray();
        at += length;
        return bytes;
    }
}
