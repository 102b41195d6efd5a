using System.Text;

namespace SpectralGate.Tests.Support;

/// <summary>
/// Writes GGUF files as llama.cpp's gguf-py writer lays them out (header, metadata, tensor infos, data section
/// aligned, each tensor padded to the alignment), for tests. Values may be written raw, so tests can also make
/// hostile headers.
/// </summary>
internal sealed class GgufWriter
{
    public sealed record Tensor(string Name, long[] Ne, int TypeId, byte[] Data);

    private readonly List<(string Key, uint Type, byte[] Value)> _metadata = [];
    private readonly List<Tensor> _tensors = [];

    public uint Version { get; init; } = 3;

    public uint Alignment { get; init; } = 32;

    public GgufWriter String(string key, string value) { _metadata.Add((key, 8, Str(value))); return this; }

    public GgufWriter UInt32(string key, uint value) { _metadata.Add((key, 4, BitConverter.GetBytes(value))); return this; }

    public GgufWriter Float32(string key, float value) { _metadata.Add((key, 6, BitConverter.GetBytes(value))); return this; }

    /// <summary>An array of strings (a tokenizer vocabulary): the reader must step over it.</summary>
    public GgufWriter Strings(string key, params string[] values)
    {
        var b = new List<byte>(BitConverter.GetBytes(8u));
        b.AddRange(BitConverter.GetBytes((ulong)values.Length));
        foreach (var v in values) b.AddRange(Str(v));
        _metadata.Add((key, 9, b.ToArray()));
        return this;
    }

    /// <summary>A tensor; <paramref name="shape"/> is ours ([rows, cols]) and is written as GGUF's reversed ne[].</summary>
    public GgufWriter Add(string name, long[] shape, int typeId, byte[] data)
    {
        _tensors.Add(new Tensor(name, shape.Reverse().ToArray(), typeId, data));
        return this;
    }

    public GgufWriter AddF32(string name, long[] shape, float[] values) => Add(name, shape, 0, values.SelectMany(BitConverter.GetBytes).ToArray());

    public static byte[] Str(string s)
    {
        byte[] utf8 = Encoding.UTF8.GetBytes(s);
        return [.. BitConverter.GetBytes((ulong)utf8.Length), .. utf8];
    }

    public byte[] ToBytes()
    {
        var b = new List<byte>();
        b.AddRange("GGUF"u8.ToArray());
        b.AddRange(BitConverter.GetBytes(Version));
        b.AddRange(BitConverter.GetBytes((long)_tensors.Count));
        b.AddRange(BitConverter.GetBytes((long)_metadata.Count));
        foreach (var (key, type, value) in _metadata)
        {
            b.AddRange(Str(key));
            b.AddRange(BitConverter.GetBytes(type));
            b.AddRange(value);
        }
        long offset = 0;
        foreach (var t in _tensors)
        {
            b.AddRange(Str(t.Name));
            b.AddRange(BitConverter.GetBytes((uint)t.Ne.Length));
            foreach (long d in t.Ne) b.AddRange(BitConverter.GetBytes(d));
            b.AddRange(BitConverter.GetBytes((uint)t.TypeId));
            b.AddRange(BitConverter.GetBytes((ulong)offset));
            offset += Pad(t.Data.Length);
        }
        while (b.Count % Alignment != 0) b.Add(0);
        foreach (var t in _tensors)
        {
            b.AddRange(t.Data);
            b.AddRange(new byte[Pad(t.Data.Length) - t.Data.Length]);
        }
        return b.ToArray();
    }

    public string Write(string path)
    {
        File.WriteAllBytes(path, ToBytes());
        return path;
    }

    private long Pad(long n) => (n + Alignment - 1) / Alignment * Alignment;
}
