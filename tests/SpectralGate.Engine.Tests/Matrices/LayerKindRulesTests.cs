using SpectralGate.Engine.Matrices;
using SpectralGate.Engine.Signatures;
using SpectralGate.Engine.Sources.Safetensors;
using SpectralGate.Engine.Sources.TorchSharp;
using SpectralGate.Tests.Support;
using TorchSharp;
using static TorchSharp.torch;

namespace SpectralGate.Engine.Tests.Matrices;

/// <summary>
/// Layer kinds (docs/layer-kinds.md): a live module's parameters by their module class, files by the name rule, and
/// the kind map over both, recorded in the signature's settings.
/// </summary>
public class LayerKindRulesTests
{
    /// <summary>A GPT-like block whose names defeat the name rule: <c>tok</c>, <c>pos</c>, <c>attn.proj</c>.</summary>
    private sealed class TinyGpt : nn.Module<Tensor, Tensor>
    {
        private readonly TorchSharp.Modules.Embedding tok = nn.Embedding(64, 16);
        private readonly TorchSharp.Modules.Embedding pos = nn.Embedding(32, 16);
        private readonly CausalSelfAttention attn = new();
        private readonly TorchSharp.Modules.Linear fc = nn.Linear(16, 48);
        private readonly TorchSharp.Modules.MultiheadAttention mha = nn.MultiheadAttention(16, 2);
        private readonly TorchSharp.Modules.Conv1d conv1 = nn.Conv1d(8, 16, 3);
        private readonly TorchSharp.Modules.Conv2d conv2 = nn.Conv2d(8, 16, 3);
        private readonly TorchSharp.Modules.Conv3d conv3 = nn.Conv3d(8, 16, 2);

        public TinyGpt() : base(nameof(TinyGpt)) => RegisterComponents();

        public override Tensor forward(Tensor input) => fc.forward(attn.forward(tok.forward(input) + pos.forward(input)));
    }

    private sealed class CausalSelfAttention : nn.Module<Tensor, Tensor>
    {
        private readonly TorchSharp.Modules.Linear proj = nn.Linear(16, 16);

        public CausalSelfAttention() : base(nameof(CausalSelfAttention)) => RegisterComponents();

        public override Tensor forward(Tensor input) => proj.forward(input);
    }

    private static readonly SignatureOptions NoFarms = new() { Farms = false };

    private static Dictionary<string, LayerKind> KindsOf(SpectralSignature signature) =>
        signature.Layers.ToDictionary(l => l.Name, l => l.Kind);

    [Test]
    public void LiveModulesAreTypedByTheirModuleClassNotTheirNames()
    {
        torch.manual_seed(1);
        using var model = new TinyGpt();

        var kinds = KindsOf(SpectralEngine.Compute(new ModuleSource(model), NoFarms));

        Assert.Multiple(() =>
        {
            Assert.That(kinds["tok.weight"], Is.EqualTo(LayerKind.Embedding));
            Assert.That(kinds["pos.weight"], Is.EqualTo(LayerKind.Embedding));
            Assert.That(kinds["attn.proj.weight"], Is.EqualTo(LayerKind.AttentionProjection), "a Linear inside a module whose class names attention");
            Assert.That(kinds["fc.weight"], Is.EqualTo(LayerKind.Linear));
            Assert.That(kinds["mha.in_proj_weight"], Is.EqualTo(LayerKind.AttentionProjection));
            Assert.That(kinds["mha.out_proj.weight"], Is.EqualTo(LayerKind.AttentionProjection));
            Assert.That(kinds["conv1.weight"], Is.EqualTo(LayerKind.Conv));
            Assert.That(kinds["conv2.weight"], Is.EqualTo(LayerKind.Conv));
            Assert.That(kinds["conv3.weight"], Is.EqualTo(LayerKind.Conv));
        });
    }

    [Test]
    public void TheModuleTypesOfALiveParameterAreItsEnclosingClassesBelowTheRoot()
    {
        using var model = new TinyGpt();

        var types = new ModuleSource(model).Tensors.ToDictionary(t => t.Name, t => t.ModuleTypes);

        Assert.That(types["attn.proj.weight"], Is.EqualTo(new[] { "CausalSelfAttention", "Linear" }));
        Assert.That(types["tok.weight"], Is.EqualTo(new[] { "Embedding" }));
    }

    [TestCase(new[] { "Embedding" }, LayerKind.Embedding)]
    [TestCase(new[] { "EmbeddingBag" }, LayerKind.Embedding)]
    [TestCase(new[] { "Conv2d" }, LayerKind.Conv)]
    [TestCase(new[] { "ConvTranspose1d" }, LayerKind.Conv)]
    [TestCase(new[] { "MultiheadAttention" }, LayerKind.AttentionProjection)]
    [TestCase(new[] { "MultiheadAttention", "NonDynamicallyQuantizableLinear" }, LayerKind.AttentionProjection)]
    [TestCase(new[] { "Block", "SelfAttn", "Linear" }, LayerKind.AttentionProjection)]
    [TestCase(new[] { "Block", "Mlp", "Linear" }, LayerKind.Linear)]
    [TestCase(new[] { "Linear" }, LayerKind.Linear)]
    public void EachModuleClassRule(string[] moduleTypes, LayerKind expected) =>
        Assert.That(ModuleLayerKinds.FromModuleTypes(moduleTypes), Is.EqualTo(expected));

    [Test]
    public void ACustomModulesOwnParameterIsLeftToTheNameRule()
    {
        Assert.That(ModuleLayerKinds.FromModuleTypes(["MyMixer"]), Is.Null);
        Assert.That(ModuleLayerKinds.FromModuleTypes([]), Is.Null);
    }

    // The name rule for files, one case per documented marker (docs/layer-kinds.md).
    [TestCase("model.embed_tokens.weight", 2, LayerKind.Embedding)]
    [TestCase("transformer.wte.weight", 2, LayerKind.Embedding)]
    [TestCase("transformer.wpe.weight", 2, LayerKind.Embedding)]
    [TestCase("lm_head.weight", 2, LayerKind.Embedding)]
    [TestCase("bert.embeddings.word_embeddings.weight", 2, LayerKind.Embedding)]
    [TestCase("shared.weight", 2, LayerKind.Embedding)]
    [TestCase("tok_emb.weight", 2, LayerKind.Embedding)]
    [TestCase("model.layers.0.self_attn.q_proj.weight", 2, LayerKind.AttentionProjection)]
    [TestCase("model.layers.0.self_attn.o_proj.weight", 2, LayerKind.AttentionProjection)]
    [TestCase("h.0.attn.c_attn.weight", 2, LayerKind.AttentionProjection)]
    [TestCase("h.0.attn.c_proj.weight", 2, LayerKind.AttentionProjection)]
    [TestCase("encoder.layer.0.attention.self.query.weight", 2, LayerKind.AttentionProjection)]
    [TestCase("blocks.0.attn.qkv.weight", 2, LayerKind.AttentionProjection)]
    [TestCase("layers.0.in_proj_weight", 2, LayerKind.AttentionProjection)]
    [TestCase("h.0.mlp.c_proj.weight", 2, LayerKind.Linear)]
    [TestCase("model.layers.0.mlp.up_proj.weight", 2, LayerKind.Linear)]
    [TestCase("tok.weight", 2, LayerKind.Linear)]
    [TestCase("features.0.weight", 4, LayerKind.Conv)]
    [TestCase("blocks.0.mlp.experts.w1", 3, LayerKind.Expert)]
    [TestCase("conv1d.weight", 3, LayerKind.Conv)]
    public void TheNameRuleForFiles(string name, int rank, LayerKind expected)
    {
        long[] shape = Enumerable.Repeat(16L, rank).ToArray();
        if (rank == 3 && expected == LayerKind.Conv) shape[2] = 3;

        Assert.That(LayerKinds.Classify(name, shape), Is.EqualTo(expected));
    }

    private static string File(params (string Name, long[] Shape)[] tensors)
    {
        var random = new Random(3);
        return SafetensorsFixtures.Write(tensors.Select(t => SafetensorsWriter.Float32(t.Name, t.Shape,
            Enumerable.Range(0, (int)t.Shape.Aggregate(1L, (a, b) => a * b)).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray())).ToArray());
    }

    [Test]
    public void TheKindMapOverridesTheNameRuleAndIsRecordedInTheSettings()
    {
        string model = File(("tok.weight", [64, 16]), ("blocks.0.w", [16, 16]), ("blocks.1.w", [16, 16]), ("head.weight", [16, 16]));
        var options = new SignatureOptions { Farms = false, Kinds = LayerKindMap.Parse(["tok.weight=embedding", "blocks.*.w=attention_projection"]) };

        using var plain = new SafetensorsFileSource(model);
        var guessed = SpectralEngine.Compute(plain, NoFarms);
        using var source = new SafetensorsFileSource(model);
        var mapped = SpectralEngine.Compute(source, options);

        Assert.Multiple(() =>
        {
            Assert.That(KindsOf(guessed).Values, Is.All.EqualTo(LayerKind.Linear));
            Assert.That(guessed.Settings.ContainsKey("layer_kinds"), Is.False, "no map, no key: existing baselines keep their bytes");
            Assert.That(KindsOf(mapped), Is.EqualTo(new Dictionary<string, LayerKind>
            {
                ["blocks.0.w"] = LayerKind.AttentionProjection,
                ["blocks.1.w"] = LayerKind.AttentionProjection,
                ["head.weight"] = LayerKind.Linear,
                ["tok.weight"] = LayerKind.Embedding,
            }));
            Assert.That(mapped.Settings["layer_kinds"], Is.EqualTo("tok.weight=embedding;blocks.*.w=attention_projection"));
            Assert.That(SignatureJson.Parse("x", SignatureJson.ToBytes(mapped)).Layers.Select(l => l.Kind), Is.EqualTo(mapped.Layers.Select(l => l.Kind)));
        });
    }

    [Test]
    public void TheKindMapOverridesAModuleClassFirstMatchWinning()
    {
        using var model = new TinyGpt();
        var options = new SignatureOptions { Farms = false, Kinds = LayerKindMap.Parse(["tok.weight=linear;*.weight=expert"]) };

        var kinds = KindsOf(SpectralEngine.Compute(new ModuleSource(model), options));

        Assert.That(kinds["tok.weight"], Is.EqualTo(LayerKind.Linear));
        Assert.That(kinds["pos.weight"], Is.EqualTo(LayerKind.Expert));
        Assert.That(kinds["attn.proj.weight"], Is.EqualTo(LayerKind.AttentionProjection), "'*' stays within a name segment");
    }

    [Test]
    public void AThreeAxisTensorNamedNeitherWayIsCutAsExpertsWhenTheMapSaysSo()
    {
        string model = File(("stack", [4, 16, 24]), ("head.weight", [16, 16]));

        using var plain = new SafetensorsFileSource(model);
        var guessed = SpectralEngine.Compute(plain, NoFarms);
        using var source = new SafetensorsFileSource(model);
        var mapped = SpectralEngine.Compute(source, new SignatureOptions { Farms = false, Kinds = LayerKindMap.Parse(["stack=expert"]) });

        Assert.That(guessed.Skipped.Select(s => s.Name), Does.Contain("stack"));
        Assert.That(mapped.Layers.Where(l => l.Kind == LayerKind.Expert).Select(l => l.Name), Is.EqualTo(new[] { "stack[0]", "stack[1]", "stack[2]", "stack[3]" }));
    }

    [Test]
    public void AThreeAxisTensorStatedAsLinearIsSkippedWithItsReason()
    {
        string model = File(("stack", [12, 16, 24]), ("head.weight", [16, 16]));

        using var source = new SafetensorsFileSource(model);
        var signature = SpectralEngine.Compute(source, new SignatureOptions { Farms = false, Kinds = LayerKindMap.Parse(["stack=linear"]) });

        Assert.That(signature.Skipped.Single(s => s.Name == "stack").Reason, Does.Contain("stated as 'linear'"));
    }

    [TestCase("tok.weight=embeding", "'embeding' in 'tok.weight=embeding' is not a layer kind")]
    [TestCase("tok.weight", "is not GLOB=KIND")]
    [TestCase("tok.weight=activation", "a probe kind")]
    public void AMalformedKindMapIsRefusedNamingTheKinds(string entry, string message)
    {
        var error = Assert.Throws<ArgumentException>(() => LayerKindMap.Parse([entry]));

        Assert.That(error!.Message, Does.Contain(message).And.Contain("linear, conv, embedding, attention_projection, expert"));
    }

    [Test]
    public void AKindMapGlobThatMatchesNoTensorIsRefusedNamingTheModel()
    {
        string model = File(("head.weight", [16, 16]));

        using var source = new SafetensorsFileSource(model);
        var error = Assert.Throws<ArgumentException>(() => SpectralEngine.Compute(source, new SignatureOptions { Farms = false, Kinds = LayerKindMap.Parse(["haed.weight=linear"]) }));

        Assert.That(error!.Message, Does.Contain(model).And.Contain("'haed.weight'").And.Contain("match no tensor"));
    }
}
