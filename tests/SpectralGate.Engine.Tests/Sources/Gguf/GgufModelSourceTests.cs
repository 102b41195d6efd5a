using System.Buffers.Binary;
using System.Diagnostics;
using SpectralGate.Engine.Errors;
using SpectralGate.Engine.Signatures;
using SpectralGate.Engine.Sources;
using SpectralGate.Engine.Sources.Gguf;
using SpectralGate.Engine.Sources.Safetensors;
using SpectralGate.Tests.Support;
using TorchSharp;

namespace SpectralGate.Engine.Tests.Sources.Gguf;

public class GgufModelSourceTests
{
    private static float[] Random(int count, int seed)
    {
        var rng = new Random(seed);
        return Enumerable.Range(0, count).Select(_ => (float)(rng.NextDouble() * 2 - 1)).ToArray();
    }

    private static string Scratch(string name) => Path.Combine(TestPaths.NewScratchFolder(), name);

    private static float[] Values(TensorEntry e)
    {
        using var t = e.Load(torch.CPU, torch.ScalarType.Float32);
        return t.data<float>().ToArray();
    }

    [Test]
    public void NeIsReversedIntoRowsAndColumns()
    {
        // A [3, 64] weight (3 rows of 64) is stored with ne = [64, 3]: element (r, c) is at r * 64 + c.
        float[] w = Enumerable.Range(0, 192).Select(i => (float)i).ToArray();
        string path = new GgufWriter().String("general.architecture", "gpt2").AddF32("w", [3, 64], w).Write(Scratch("m.gguf"));

        using var source = new GgufModelSource(path);
        var entry = source.Tensors.Single();

        Assert.That(source.Header.Tensors[0].Dimensions, Is.EqualTo(new long[] { 64, 3 }));
        Assert.That(entry.Shape, Is.EqualTo(new long[] { 3, 64 }));
        using var t = entry.Load(torch.CPU, torch.ScalarType.Float32);
        Assert.That(t[1, 2].item<float>(), Is.EqualTo(66f));
    }

    [TestCase(2u, 32u)]
    [TestCase(3u, 32u)]
    [TestCase(3u, 64u)]
    public void VersionsAndAlignmentsAreRead(uint version, uint alignment)
    {
        float[] a = Random(96, 1), b = Random(40, 2);
        var writer = new GgufWriter { Version = version, Alignment = alignment }.String("general.architecture", "llama").Strings("tokenizer.ggml.tokens", "<s>", "</s>", "hi");
        if (alignment != 32) writer.UInt32("general.alignment", alignment);
        string path = writer.AddF32("a", [3, 32], a).AddF32("b", [40], b).Write(Scratch("m.gguf"));

        using var source = ModelSources.Open(path);
        var entries = source.Tensors.ToList();

        Assert.That(source.Format, Is.EqualTo("gguf"));
        Assert.That(Values(entries[0]), Is.EqualTo(a));
        Assert.That(Values(entries[1]), Is.EqualTo(b));
        Assert.That(((GgufModelSource)source).Header.Tensors[1].Offset % alignment, Is.Zero);
    }

    [Test]
    public void AFileWithGgufMagicIsReadWhateverItsExtension()
    {
        string path = new GgufWriter().AddF32("w", [2, 32], Random(64, 3)).Write(Scratch("model.bin"));

        using var source = ModelSources.Open(path);

        Assert.That(source, Is.InstanceOf<GgufModelSource>());
    }

    [Test]
    public void LlamaFamilyNamesBecomeHuggingFaceNames()
    {
        Assert.Multiple(() =>
        {
            Assert.That(GgufNameMap.ToHuggingFace("blk.11.attn_q.weight", "llama"), Is.EqualTo("model.layers.11.self_attn.q_proj.weight"));
            Assert.That(GgufNameMap.ToHuggingFace("blk.0.attn_k.bias", "qwen2"), Is.EqualTo("model.layers.0.self_attn.k_proj.bias"));
            Assert.That(GgufNameMap.ToHuggingFace("blk.3.attn_output.weight", "mistral"), Is.EqualTo("model.layers.3.self_attn.o_proj.weight"));
            Assert.That(GgufNameMap.ToHuggingFace("blk.3.ffn_gate.weight", "llama"), Is.EqualTo("model.layers.3.mlp.gate_proj.weight"));
            Assert.That(GgufNameMap.ToHuggingFace("blk.3.ffn_up.weight", "llama"), Is.EqualTo("model.layers.3.mlp.up_proj.weight"));
            Assert.That(GgufNameMap.ToHuggingFace("blk.3.ffn_down.weight", "llama"), Is.EqualTo("model.layers.3.mlp.down_proj.weight"));
            Assert.That(GgufNameMap.ToHuggingFace("blk.3.attn_norm.weight", "llama"), Is.EqualTo("model.layers.3.input_layernorm.weight"));
            Assert.That(GgufNameMap.ToHuggingFace("blk.3.ffn_norm.weight", "llama"), Is.EqualTo("model.layers.3.post_attention_layernorm.weight"));
            Assert.That(GgufNameMap.ToHuggingFace("token_embd.weight", "llama"), Is.EqualTo("model.embed_tokens.weight"));
            Assert.That(GgufNameMap.ToHuggingFace("output_norm.weight", "llama"), Is.EqualTo("model.norm.weight"));
            Assert.That(GgufNameMap.ToHuggingFace("output.weight", "llama"), Is.EqualTo("lm_head.weight"));
            Assert.That(GgufNameMap.ToHuggingFace("rope_freqs.weight", "llama"), Is.EqualTo("rope_freqs.weight"));
            Assert.That(GgufNameMap.ToHuggingFace("blk.0.attn_q.weight", "gpt2"), Is.EqualTo("blk.0.attn_q.weight"));
            Assert.That(GgufNameMap.ToHuggingFace("blk.0.attn_q.weight", null), Is.EqualTo("blk.0.attn_q.weight"));
        });
    }

    [Test]
    public void TypesNotDecodedAreListedAsSkippedWithTheirType()
    {
        string path = new GgufWriter().String("general.architecture", "llama")
            .AddF32("blk.0.attn_q.weight", [32, 32], Random(1024, 4))
            .Add("blk.0.attn_k.weight", [32, 32], 20, new byte[32 * 18]) // IQ4_NL
            .Write(Scratch("m.gguf"));

        using var source = ModelSources.Open(path);
        var signature = SpectralEngine.Compute(source, new SignatureOptions());

        Assert.That(signature.Layers.Select(l => l.Name), Is.EqualTo(new[] { "model.layers.0.self_attn.q_proj.weight" }));
        var skipped = signature.Skipped.Single();
        Assert.That(skipped.Name, Is.EqualTo("model.layers.0.self_attn.k_proj.weight"));
        Assert.That(skipped.Reason, Does.Contain("IQ4_NL"));
    }

    [Test]
    public void F16AndQ8_0GgufsHaveTheSignaturesOfTheirFloatTwins()
    {
        float[] q = Random(64 * 32, 5), k = Random(32 * 64, 6);
        var q8 = GgmlReferenceQuantizer.Q8_0(q);
        var q8Floats = new float[q.Length];
        GgmlDequantizer.Dequantize(GgmlType.ByName("Q8_0"), q8, q8Floats);
        Half[] kHalf = k.Select(v => (Half)v).ToArray();
        string gguf = new GgufWriter().String("general.architecture", "llama")
            .Add("blk.0.attn_q.weight", [64, 32], 8, q8)
            .Add("blk.0.attn_k.weight", [32, 64], 1, kHalf.SelectMany(h => BitConverter.GetBytes(h)).ToArray())
            .Write(Scratch("m.gguf"));
        string twin = Scratch("m.safetensors");
        SafetensorsWriter.Write(twin,
        [
            SafetensorsWriter.Float32("model.layers.0.self_attn.q_proj.weight", [64, 32], q8Floats),
            new SafetensorsWriter.Tensor("model.layers.0.self_attn.k_proj.weight", "F16", [32, 64], kHalf.SelectMany(h => BitConverter.GetBytes(h)).ToArray()),
        ]);

        SpectralSignature fromGguf, fromTwin;
        using (var s = ModelSources.Open(gguf)) fromGguf = SpectralEngine.Compute(s, new SignatureOptions());
        using (var s = ModelSources.Open(twin)) fromTwin = SpectralEngine.Compute(s, new SignatureOptions());

        Assert.That(fromGguf.Layers.Select(l => l.Name), Is.EqualTo(fromTwin.Layers.Select(l => l.Name)));
        for (int i = 0; i < fromTwin.Layers.Count; i++)
            Assert.That(fromGguf.Layers[i].Metrics, Is.EqualTo(fromTwin.Layers[i].Metrics), fromTwin.Layers[i].Name);
    }

    private static byte[] Valid() => new GgufWriter().String("general.architecture", "llama").AddF32("blk.0.attn_q.weight", [2, 32], Random(64, 7)).ToBytes();

    /// <summary>Offset of the first tensor info in <see cref="Valid"/>: magic, version, two counts, then one string metadata.</summary>
    private static int TensorInfoStart => 4 + 4 + 8 + 8 + (8 + "general.architecture".Length) + 4 + (8 + "llama".Length);

    private static IEnumerable<TestCaseData> HostileHeaders()
    {
        yield return Case("absurd tensor count", b => BinaryPrimitives.WriteInt64LittleEndian(b.AsSpan(8), long.MaxValue), null, "tensor count");
        yield return Case("negative tensor count", b => BinaryPrimitives.WriteInt64LittleEndian(b.AsSpan(8), -1), null, "tensor count");
        yield return Case("absurd metadata count", b => BinaryPrimitives.WriteInt64LittleEndian(b.AsSpan(16), 1L << 60), null, "metadata count");
        yield return Case("key length past end", b => BinaryPrimitives.WriteUInt64LittleEndian(b.AsSpan(24), ulong.MaxValue), null, "runs past the end");
        yield return Case("version 1", b => BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(4), 1), null, "version 1");
        yield return Case("big-endian", b => BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(4), 0x03000000), null, "big-endian");
        yield return Case("five dimensions", b => BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(TensorInfoStart + 8 + 19), 5), "blk.0.attn_q.weight", "at most 4");
        yield return Case("negative dimension", b => BinaryPrimitives.WriteInt64LittleEndian(b.AsSpan(TensorInfoStart + 8 + 19 + 4), -32), "blk.0.attn_q.weight", "negative");
        yield return Case("dimensions overflow", b =>
        {
            BinaryPrimitives.WriteInt64LittleEndian(b.AsSpan(TensorInfoStart + 8 + 19 + 4), 1L << 40);
            BinaryPrimitives.WriteInt64LittleEndian(b.AsSpan(TensorInfoStart + 8 + 19 + 12), 1L << 40);
        }, "blk.0.attn_q.weight", "overflows");
        yield return Case("row not whole blocks", b =>
        {
            BinaryPrimitives.WriteInt64LittleEndian(b.AsSpan(TensorInfoStart + 8 + 19 + 4), 33);
            BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(TensorInfoStart + 8 + 19 + 20), 2);
        }, "blk.0.attn_q.weight", "whole number");
        yield return Case("unknown type", b => BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(TensorInfoStart + 8 + 19 + 20), 4), "blk.0.attn_q.weight", "unknown ggml type 4");
        yield return Case("offset past end", b => BinaryPrimitives.WriteUInt64LittleEndian(b.AsSpan(TensorInfoStart + 8 + 19 + 24), 1UL << 62), "blk.0.attn_q.weight", "offset");
        yield return Case("huge claimed shape", b => BinaryPrimitives.WriteInt64LittleEndian(b.AsSpan(TensorInfoStart + 8 + 19 + 12), 1L << 40), "blk.0.attn_q.weight", "past the end");
    }

    private static TestCaseData Case(string name, Action<byte[]> corrupt, string? tensor, string problem)
    {
        byte[] bytes = Valid();
        corrupt(bytes);
        return new TestCaseData(bytes, tensor, problem).SetName($"HostileHeader({name})");
    }

    [TestCaseSource(nameof(HostileHeaders))]
    public void HostileHeadersAreRefusedNamingFileAndTensor(byte[] bytes, string? tensor, string problem)
    {
        string path = Scratch("hostile.gguf");
        File.WriteAllBytes(path, bytes);
        long before = GC.GetAllocatedBytesForCurrentThread();
        var clock = Stopwatch.StartNew();

        var e = Assert.Throws<ModelFormatException>(() => { using var s = ModelSources.Open(path); })!;

        Assert.That(clock.Elapsed, Is.LessThan(TimeSpan.FromSeconds(1)));
        Assert.That(GC.GetAllocatedBytesForCurrentThread() - before, Is.LessThan(8 << 20));
        Assert.That(e.FilePath, Is.EqualTo(path));
        Assert.That(e.Layer, Is.EqualTo(tensor));
        Assert.That(e.Problem, Does.Contain(problem));
    }

    [Test]
    public void EveryTruncationIsRefused()
    {
        byte[] bytes = Valid();
        string path = Scratch("truncated.gguf");
        for (int n = 0; n < bytes.Length; n += 7)
        {
            File.WriteAllBytes(path, bytes[..n]);
            Assert.Throws<ModelFormatException>(() => { using var s = new GgufModelSource(path); }, $"{n} bytes");
        }
    }
}
