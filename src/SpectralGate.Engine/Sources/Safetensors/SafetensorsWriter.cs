using System.Text;
using System.Text.Json;
using SpectralGate.Engine.IO;
using TorchSharp;

namespace SpectralGate.Engine.Sources.Safetensors;

/// <summary>
/// Writes safetensors files (header with sorted names, 8-byte aligned, data contiguous in header order): a TorchSharp
/// XX, so the gate and <c>spectralgate</c> can read what a
/// C# training run saves, and fixtures, samples and benchmark checkpoints made from C# (docs/probes.md).
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

    public static Tensor Float64(string name, long[] shape, ReadOnlySpan<double> values)
    {
        var bytes = new byte[values.Length * 8];
        for (int i = 0; i < values.Length; i++) BitConverter.TryWriteBytes(bytes.AsSpan(8 * i), values[i]);
        return new Tensor(name, "F64", shape, bytes);
    }

    /// <summary>
    /// A model's parameters by their <c>named_parameters()</c> names, as the file stores them: float64 as F64, bfloat16 as
    /// BF16, every other floating type as F32. The file <c>spectralgate inspect</c> reads gives the signature of the model.
    /// </summary>
    public static IReadOnlyList<Tensor> FromModule(torch.nn.Module module)
    {
        var tensors = new List<Tensor>();
        foreach (var (name, parameter) in module.named_parameters())
        {
            using var cpu = parameter.detach().cpu().contiguous();
            if (!torch.is_floating_point(cpu)) throw new ArgumentException($"parameter '{name}' is {cpu.dtype}; safetensors weights here are floating point.");
            tensors.Add(cpu.dtype switch
            {
                torch.ScalarType.Float64 => Float64(name, cpu.shape, cpu.data<double>().ToArray()),
                torch.ScalarType.BFloat16 => BFloat16(name, cpu.shape, cpu.to(torch.ScalarType.Float32).data<float>().ToArray()),
                _ => Float32(name, cpu.shape, cpu.to(torch.ScalarType.Float32).data<float>().ToArray()),
            });
        }
        return tensors;
    }

    /// <summary>Saves a model's weights to <paramref name="path"/> atomically (<see cref="FromModule"/>).</summary>
    public static void Write(string path, torch.nn.Module module, IReadOnlyDictionary<string, string>? metadata = null) =>
        Write(path, FromModule(module), metadata);

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
