using System.IO.Compression;
using System.Text;

namespace SpectralGate.Fuzz;

/// <summary>Valid GGUF (F32 and Q8_0 tensors) and torch.save (a two-tensor state dict) seeds, written byte by byte.</summary>
internal static class CheckpointSeeds
{
    public static void Write(string folder)
    {
        Directory.CreateDirectory(Path.Combine(folder, "gguf"));
        File.WriteAllBytes(Path.Combine(folder, "gguf", "small.gguf"), Gguf());
        Directory.CreateDirectory(Path.Combine(folder, "pytorch"));
        File.WriteAllBytes(Path.Combine(folder, "pytorch", "small.bin"), TorchSave());
    }

    private static byte[] Str(string s) => [.. BitConverter.GetBytes((ulong)Encoding.UTF8.GetByteCount(s)), .. Encoding.UTF8.GetBytes(s)];

    private static byte[] Gguf()
    {
        var b = new List<byte>("GGUF"u8.ToArray());
        b.AddRange(BitConverter.GetBytes(3u));
        b.AddRange(BitConverter.GetBytes(2L));
        b.AddRange(BitConverter.GetBytes(1L));
        b.AddRange(Str("general.architecture")); b.AddRange(BitConverter.GetBytes(8u)); b.AddRange(Str("llama"));
        // blk.0.attn_q.weight: F32 [8, 32]; blk.0.attn_k.weight: Q8_0 [8, 32] (8 blocks of 34 bytes).
        (string Name, uint Type, int Bytes)[] tensors = [("blk.0.attn_q.weight", 0, 8 * 32 * 4), ("blk.0.attn_k.weight", 8, 8 * 34)];
        long offset = 0;
        foreach (var (name, type, bytes) in tensors)
        {
            b.AddRange(Str(name)); b.AddRange(BitConverter.GetBytes(2u));
            b.AddRange(BitConverter.GetBytes(32L)); b.AddRange(BitConverter.GetBytes(8L));
            b.AddRange(BitConverter.GetBytes(type)); b.AddRange(BitConverter.GetBytes((ulong)offset));
            offset += (bytes + 31) / 32 * 32;
        }
        while (b.Count % 32 != 0) b.Add(0);
        for (int i = 0; i < 256; i++) b.AddRange(BitConverter.GetBytes(MathF.Sin(i * 0.37f)));
        for (int blk = 0; blk < 8; blk++)
        {
            b.AddRange(BitConverter.GetBytes((Half)0.01f));
            for (int j = 0; j < 32; j++) b.Add((byte)(sbyte)((blk * 13 + j * 7) % 255 - 127));
        }
        while (b.Count % 32 != 0) b.Add(0);
        return b.ToArray();
    }

    private static byte[] TorchSave()
    {
        var p = new List<byte> { 0x80, 0x02 };
        void Raw(string s) => p.AddRange(Encoding.UTF8.GetBytes(s));
        void Unicode(string s) { p.Add((byte)'X'); p.AddRange(BitConverter.GetBytes(Encoding.UTF8.GetByteCount(s))); Raw(s); }
        void Int(int v) { p.Add((byte)'J'); p.AddRange(BitConverter.GetBytes(v)); }
        Raw("ccollections\nOrderedDict\n)R(");
        // "a.weight": float32 [8, 12] over storage 0; "b.weight": its transpose, a strided view of the same storage.
        foreach (var (name, size, stride) in new[] { ("a.weight", (8, 12), (12, 1)), ("b.weight", (12, 8), (1, 12)) })
        {
            Unicode(name);
            Raw("ctorch._utils\n_rebuild_tensor_v2\n((");
            Unicode("storage"); Raw("ctorch\nFloatStorage\n"); Unicode("0"); Unicode("cpu"); Int(96);
            Raw("tQ"); Int(0);
            Raw("("); Int(size.Item1); Int(size.Item2); Raw("t(");
            Int(stride.Item1); Int(stride.Item2); Raw("t\u0089ccollections\nOrderedDict\n)RtR");
        }
        Raw("u.");
        using var memory = new MemoryStream();
        using (var zip = new ZipArchive(memory, ZipArchiveMode.Create, leaveOpen: true))
        {
            using (var s = zip.CreateEntry("archive/data.pkl", CompressionLevel.NoCompression).Open()) s.Write(p.ToArray());
            using (var s = zip.CreateEntry("archive/data/0", CompressionLevel.NoCompression).Open())
                for (int i = 0; i < 96; i++) s.Write(BitConverter.GetBytes(MathF.Cos(i * 0.21f)));
            using (var s = zip.CreateEntry("archive/version", CompressionLevel.NoCompression).Open()) s.Write("3\n"u8);
        }
        return memory.ToArray();
    }
}
