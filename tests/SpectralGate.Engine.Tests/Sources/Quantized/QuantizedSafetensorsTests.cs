using System.Text.Json;
using SpectralGate.Engine.Signatures;
using SpectralGate.Engine.Sources;
using SpectralGate.Engine.Sources.Safetensors;
using SpectralGate.Tests.Support;
using TorchSharp;

namespace SpectralGate.Engine.Tests.Sources.Quantized;

/// <summary>
/// Quantized safetensors checkpoints packed as the libraries pack them (<see cref="QuantizedCheckpoints"/>): each weight
/// decodes bit for bit to the library's dequantization, under the weight's own name, and the signature equals its float
/// twin's, with no quantization parameter as a layer.
/// </summary>
public class QuantizedSafetensorsTests
{
    public static IEnumerable<TestCaseData> Layouts()
    {
        foreach (int bits in new[] { 2, 3, 4, 8 })
        {
            yield return new TestCaseData("gptq", bits, 32, false, false).SetName($"GPTQ v1 {bits}-bit group 32");
            yield return new TestCaseData("gptq", bits, 16, true, true).SetName($"GPTQ v2 {bits}-bit group 16 act-order");
        }
        yield return new TestCaseData("gptq", 4, -1, false, true).SetName("GPTQ v1 4-bit one group act-order");
        yield return new TestCaseData("awq", 4, 32, false, false).SetName("AWQ GEMM group 32");
        yield return new TestCaseData("awq", 4, 64, false, false).SetName("AWQ GEMM group 64");
        yield return new TestCaseData("ct-packed", 4, 32, false, false).SetName("compressed-tensors pack-quantized int4 asymmetric");
        yield return new TestCaseData("ct-packed", 4, 16, true, false).SetName("compressed-tensors pack-quantized int4 symmetric");
        yield return new TestCaseData("ct-packed", 8, 64, false, false).SetName("compressed-tensors pack-quantized int8 asymmetric");
        yield return new TestCaseData("ct-packed", 3, 32, false, false).SetName("compressed-tensors pack-quantized int3 (padded words)");
        yield return new TestCaseData("ct-int8", 8, 0, false, false).SetName("compressed-tensors naive-quantized int8 per channel");
        yield return new TestCaseData("fp8-block", 8, 48, false, false).SetName("FP8 weight_scale_inv 48x48 blocks (ceil)");
        yield return new TestCaseData("fp8-block", 8, 128, false, false).SetName("FP8 weight_scale_inv 128x128 blocks");
    }

    internal static QuantizedCheckpoints.Checkpoint Make(string layout, int bits, int group, bool flag, bool actOrder) => layout switch
    {
        "gptq" => QuantizedCheckpoints.Gptq(bits, group, v2: flag, actOrder),
        "awq" => QuantizedCheckpoints.Awq(group),
        "ct-packed" => QuantizedCheckpoints.CompressedPacked(bits, group, symmetric: flag),
        "ct-int8" => QuantizedCheckpoints.CompressedInt8(),
        _ => QuantizedCheckpoints.Fp8Block(group, group),
    };

    [TestCaseSource(nameof(Layouts))]
    public void EachWeightDecodesBitForBitToTheLibrarysDequantization(string layout, int bits, int group, bool flag, bool actOrder)
    {
        var checkpoint = Make(layout, bits, group, flag, actOrder);
        string path = checkpoint.Write(TestPaths.NewScratchFolder());

        using var source = new SafetensorsFileSource(path);
        var entries = source.Tensors.ToDictionary(e => e.Name);

        Assert.That(checkpoint.Dequantized, Has.Count.EqualTo(14));
        foreach (var (name, (shape, expected)) in checkpoint.Dequantized)
        {
            var entry = entries[name];
            Assert.That(entry.Shape, Is.EqualTo(shape), name);
            Assert.That(entry.Quantization, Is.Not.Null, name);
            using var loaded = entry.Load(torch.CPU, torch.ScalarType.Float32);
            float[] actual = loaded.data<float>().ToArray();
            int first = Enumerable.Range(0, expected.Length).FirstOrDefault(i => BitConverter.SingleToInt32Bits(actual[i]) != BitConverter.SingleToInt32Bits(expected[i]), -1);
            Assert.That(first, Is.EqualTo(-1), () => $"{name}: value {first} is {actual[first]}, the library's {expected[first]}");
        }
    }

    [TestCaseSource(nameof(Layouts))]
    public void TheSignatureIsTheFloatTwinsWithNoQuantizationParameterAsALayer(string layout, int bits, int group, bool flag, bool actOrder)
    {
        var checkpoint = Make(layout, bits, group, flag, actOrder);
        string folder = TestPaths.NewScratchFolder();
        string path = checkpoint.Write(folder);
        string twin = checkpoint.WriteFloatTwin(folder);

        var quantized = Signature(path);
        var reference = Signature(twin);

        Assert.That(quantized.Layers.Select(l => l.Name), Is.EqualTo(reference.Layers.Select(l => l.Name)));
        foreach (var (q, f) in quantized.Layers.Zip(reference.Layers))
        {
            Assert.That(q.Shape, Is.EqualTo(f.Shape), q.Name);
            Assert.That(q.Kind, Is.EqualTo(f.Kind), q.Name);
            Assert.That(q.Fingerprint, Is.EqualTo(f.Fingerprint), q.Name);
            Assert.That(q.Metrics, Is.EqualTo(f.Metrics), q.Name);
        }
        var parameters = quantized.Skipped.Where(s => s.Kind == SkipKind.QuantizationParameter).ToList();
        Assert.That(parameters, Is.Not.Empty);
        Assert.That(parameters.Select(p => p.Reason), Has.All.StartWith("quantization parameter of model.layers."));
        Assert.That(quantized.Coverage!.Text, Is.EqualTo("16 of 16 weight matrices analysed (100% of the weight parameters)"));
        Assert.That(quantized.Coverage.Decoded.Values.Sum(), Is.EqualTo(14));
        Assert.That(quantized.Coverage.IsMinority, Is.False);
    }

    [Test]
    public void ScalesThatWouldPassForAMatrixAreParametersNotLayers()
    {
        // GPTQ with groups of 16: down_proj's scales are [8, 64] fp16, a matrix the planner would analyse as a layer.
        var checkpoint = QuantizedCheckpoints.Gptq(4, 16, v2: false, actOrder: false);
        string path = checkpoint.Write(TestPaths.NewScratchFolder());

        var signature = Signature(path);

        Assert.That(checkpoint.Tensors.Single(t => t.Name == "model.layers.0.mlp.down_proj.scales").Shape, Is.EqualTo(new long[] { 8, 64 }));
        Assert.That(signature.Layers.Select(l => l.Name), Has.None.EndsWith(".scales").And.None.EndsWith(".qweight").And.None.EndsWith(".qzeros"));
        Assert.That(signature.Skipped.Single(s => s.Name == "model.layers.0.mlp.down_proj.scales").Reason,
            Is.EqualTo("quantization parameter of model.layers.0.mlp.down_proj.weight"));
    }

    [Test]
    public void WithoutAConfigTheWeightsAreListedAsNotDecodedAndTheCoverageSaysSo()
    {
        var checkpoint = QuantizedCheckpoints.Gptq(4, 16, v2: false, actOrder: false);
        string path = checkpoint.Write(TestPaths.NewScratchFolder(), withConfig: false);

        var signature = Signature(path);

        Assert.That(signature.Layers.Select(l => l.Name), Is.EquivalentTo(new[] { "model.embed_tokens.weight", "lm_head.weight" }));
        var undecoded = signature.Skipped.Single(s => s.Name == "model.layers.1.mlp.up_proj.weight");
        Assert.That(undecoded.Reason, Does.StartWith("unrecognised quantization weight not decoded: no quantization config"));
        Assert.That(signature.Skipped.Single(s => s.Name == "model.layers.1.mlp.up_proj.scales").Reason, Is.EqualTo("quantization parameter of model.layers.1.mlp.up_proj.weight"));
        Assert.That(signature.Coverage!.Text, Is.EqualTo("2 of 16 weight matrices analysed; 14 unrecognised quantization weights not decoded"));
        Assert.That(signature.Coverage.IsMinority, Is.True);
    }

    [Test]
    public void ShardedCheckpointsDecodeAWeightWhoseScalesAreInAnotherShard()
    {
        var checkpoint = QuantizedCheckpoints.Gptq(3, 32, v2: false, actOrder: true);
        string folder = TestPaths.NewScratchFolder();
        File.WriteAllText(Path.Combine(folder, "config.json"), checkpoint.ConfigJson);
        // Packed weights in the first shard, every parameter and float tensor in the second.
        var first = checkpoint.Tensors.Where(t => t.Name.EndsWith(".qweight", StringComparison.Ordinal)).ToList();
        var second = checkpoint.Tensors.Except(first).ToList();
        SafetensorsWriter.Write(Path.Combine(folder, "model-00001-of-00002.safetensors"), first);
        SafetensorsWriter.Write(Path.Combine(folder, "model-00002-of-00002.safetensors"), second);
        var map = first.ToDictionary(t => t.Name, _ => "model-00001-of-00002.safetensors")
            .Concat(second.ToDictionary(t => t.Name, _ => "model-00002-of-00002.safetensors")).ToDictionary();
        string index = Path.Combine(folder, "model.safetensors.index.json");
        File.WriteAllText(index, JsonSerializer.Serialize(new { weight_map = map }));

        var sharded = Signature(index);
        var twin = Signature(checkpoint.WriteFloatTwin(folder));

        Assert.That(sharded.Layers.Select(l => (l.Name, l.Fingerprint)), Is.EquivalentTo(twin.Layers.Select(l => (l.Name, l.Fingerprint))));
        Assert.That(sharded.Coverage!.Decoded, Is.EqualTo(new Dictionary<string, int> { ["GPTQ"] = 14 }));
    }

    [Test]
    public void CoverageIsWrittenForQuantizedModelsOnlyAndReadBack()
    {
        string folder = TestPaths.NewScratchFolder();
        var checkpoint = QuantizedCheckpoints.Awq(32);
        var quantized = Signature(checkpoint.Write(folder));
        var plain = Signature(checkpoint.WriteFloatTwin(folder));

        string quantizedJson = SignatureJson.ToText(quantized);
        string plainJson = SignatureJson.ToText(plain);
        var readBack = SignatureJson.Parse("q.json", System.Text.Encoding.UTF8.GetBytes(quantizedJson));

        Assert.That(plainJson, Does.Not.Contain("\"coverage\""));
        Assert.That(quantizedJson, Does.StartWith("{\n  \"coverage\": {\n    \"analysed\": 16,"));
        Assert.That(readBack.Coverage, Is.Not.Null);
        Assert.That(SignatureJson.ToText(readBack), Is.EqualTo(quantizedJson));
    }

    private static SpectralSignature Signature(string path)
    {
        using var source = ModelSources.Open(path);
        return SpectralEngine.Compute(source, new SignatureOptions());
    }
}
