using System.Text;
using System.Text.Json;
using SpectralGate.Engine.IO;

namespace SpectralGate.Engine.Sources.Safetensors;

/// <summary>
/// Writes safetensors files (header with sorted names, 8-byte aligned, data contiguous in header order), for
/// fixtures, samples and benchmark checkpoints made from C#.
/// </summary>
public static class SafetensorsWriter
{
    /// <summary>A tensor to write: its little-endian bytes in the stored dtype (<c>F32</c>, <c>BF16</c>, ...).</summary>
    public sealed record Tensor(string Name, string DType, long[] Shape, byte[] Data);

    public static Tensor Float32(string name, long[] shape, ReadOnlySpan<float> values)
    {
        var bytes = new byte[values.Length * 4];
        for (int i = 0; i < values.Length; i++) BitConverter.TryWriteBytes(bytes.AsSpan(4 * i), values[i]);
        return new Tensor(name, "F32", shape, bytes);
    }

    public static Tensor BFloat16(string name, long[] shape, ReadOnlySpan<float> values)
    {
        var bytes = new byte[values.Length * 2];
        for (int i = 0; i < values.Length; i++) BitConverter.TryWriteBytes(bytes.AsSpan(2 * i), TensorData.SingleToBFloat16(values[i]));
        return new Tensor(name, "BF16", shape, bytes);
    }

    public static byte[] ToBytes(IEnumerable<Tensor> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        var ordered = tensors.OrderBy(t => t.Name, StringComparer.Ordinal).ToList();
        var header = new MemoryStream();
        using (var w = new Utf8JsonWriter(header))
        {
            w.WriteStartObject();
            if (metadata is not null)
            {
                w.WriteStartObject("__metadata__");
                foreach (var (k, v) in metadata.OrderBy(p => p.Key, StringComparer.Ordinal)) w.WriteString(k, v);
                w.WriteEndObject();
            }
            long offset = 0;
            foreach (var t in ordered)
            {
                w.WriteStartObject(t.Name);
                w.WriteString("dtype", t.DType);
                w.WriteStartArray("shape");
                foreach (long d in t.Shape) w.WriteNumberValue(d);
                w.WriteEndArray();
                w.WriteStartArray("data_offsets");
                w.WriteNumberValue(offset);
                w.WriteNumberValue(offset + t.Data.Length);
                w.WriteEndArray();
                w.WriteEndObject();
                offset += t.Data.Length;
            }
            w.WriteEndObject();
        }
        // Pad the header with spaces so the data starts 8-byte aligned, as the reference writer does.
        int padding = (int)((8 - header.Length % 8) % 8);
        header.Write(Encoding.ASCII.GetBytes(new string(' ', padding)));

        var file = new MemoryStream();
        file.Write(BitConverter.GetBytes((ulong)header.Length));
        header.Position = 0;
        header.CopyTo(file);
        foreach (var t in ordered) file.Write(t.Data);
        return file.ToArray();
    }

    /// <summary>Writes the file atomically.</summary>
    public static void Write(string path, IEnumerable<Tensor> tensors, IReadOnlyDictionary<string, string>? metadata = null) =>
        AtomicFile.WriteAllBytes(path, ToBytes(tensors, metadata));
}
