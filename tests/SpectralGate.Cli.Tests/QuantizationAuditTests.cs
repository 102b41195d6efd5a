using SpectralGate.Engine.Baselines;
using SpectralGate.Engine.Signatures;
using SpectralGate.Engine.Sources;
using SpectralGate.Tests.Support;

namespace SpectralGate.Cli.Tests;

/// <summary><c>spectralgate diff model.safetensors model.gguf --by-damage</c>: a GGUF compared layer by layer with its float source.</summary>
public class QuantizationAuditTests
{
    private static SpectralSignature Signature(string path)
    {
        using var source = ModelSources.Open(path);
        return SpectralEngine.Compute(source, new SignatureOptions());
    }

    [Test]
    public void Q8_0DamagesTheLayersLessThanQ4_0()
    {
        string folder = TestPaths.NewScratchFolder();
        var f32 = Signature(TinyLlama.WriteSafetensors(Path.Combine(folder, "model.safetensors")));
        var q4 = LayerDamage.Rank(f32, Signature(TinyLlama.WriteGguf(Path.Combine(folder, "model.Q4_0.gguf"), 2)));
        var q8 = LayerDamage.Rank(f32, Signature(TinyLlama.WriteGguf(Path.Combine(folder, "model.Q8_0.gguf"), 8)));

        // Every float layer is paired with its GGUF layer by name: nothing added or removed.
        Assert.That(q4.Select(d => d.Layer), Is.EquivalentTo(f32.Layers.Select(l => l.Name)));
        Assert.That(q8.Select(d => d.Layer), Is.EquivalentTo(f32.Layers.Select(l => l.Name)));
        // Q8_0's step is 1/127 of a block's max, Q4_0's 1/8: the layers move less. Not every one: a condition number
        // set by the smallest singular value of a heavy-tailed matrix can move either way, so three in four.
        var q8ByLayer = q8.ToDictionary(d => d.Layer);
        Assert.That(q4.Count(d => q8ByLayer[d.Layer].Factor < d.Factor), Is.GreaterThanOrEqualTo(3 * q4.Count / 4));
        Assert.That(q8.Max(d => d.Factor), Is.LessThan(q4.Max(d => d.Factor)));
        Assert.That(q4.Select(d => d.Factor), Is.Ordered.Descending);
    }

    [TestCase("Q4_0", 2)]
    [TestCase("Q8_0", 8)]
    public void TheCliListsTheLayersByDamage(string type, int typeId)
    {
        string folder = TestPaths.NewScratchFolder();
        string st = TinyLlama.WriteSafetensors(Path.Combine(folder, "model.safetensors"));
        string gguf = TinyLlama.WriteGguf(Path.Combine(folder, $"model.{type}.gguf"), typeId);

        var r = CliRunner.RunIn(folder, "diff", "model.safetensors", $"model.{type}.gguf", "--by-damage");
        TestContext.Out.WriteLine(r.Output);

        Assert.That(r.ExitCode, Is.AnyOf(0, 1), r.Error);
        Assert.That(r.Output, Does.StartWith("Layers by damage").And.Not.Contain("layer added").And.Not.Contain("layer removed"));
        var expected = LayerDamage.Rank(Signature(st), Signature(gguf));
        string[] lines = r.Output.Split('\n');
        Assert.That(lines[3], Does.Contain(" 1  " + expected[0].Layer + " "));
        Assert.That(lines[2 + expected.Count], Does.Contain(expected[^1].Layer));
    }

    private static QuantizedCheckpoints.Checkpoint Quantized(string layout) => layout switch
    {
        "gptq" => QuantizedCheckpoints.Gptq(4, 32, v2: false, actOrder: true),
        "awq" => QuantizedCheckpoints.Awq(32),
        _ => QuantizedCheckpoints.Fp8Block(128, 128),
    };

    [TestCase("gptq")]
    [TestCase("awq")]
    [TestCase("fp8")]
    public void AFloatCheckpointAgainstItsQuantizedTwinRanksEveryLayerByDamage(string layout)
    {
        string folder = TestPaths.NewScratchFolder();
        Directory.CreateDirectory(Path.Combine(folder, "float"));
        Directory.CreateDirectory(Path.Combine(folder, "quantized"));
        string f32 = TinyLlama.WriteSafetensors(Path.Combine(folder, "float", "model.safetensors"));
        string quantized = Quantized(layout).Write(Path.Combine(folder, "quantized"));

        var r = CliRunner.RunIn(folder, "diff", "float/model.safetensors", "quantized/model.safetensors", "--by-damage");
        TestContext.Out.WriteLine(r.Output);

        // The decoded weights carry the float weights' names: every layer pairs up, none added or removed.
        Assert.That(r.ExitCode, Is.AnyOf(0, 1), r.Error);
        Assert.That(r.Output, Does.StartWith("Layers by damage").And.Not.Contain("layer added").And.Not.Contain("layer removed").And.Not.Contain(".scales").And.Not.Contain("weight_scale_inv"));
        var expected = LayerDamage.Rank(Signature(f32), Signature(quantized));
        Assert.That(expected, Has.Count.EqualTo(16));
        string[] lines = r.Output.Split('\n');
        Assert.That(lines[3], Does.Contain(" 1  " + expected[0].Layer + " "));
        Assert.That(expected[0].Layer, Does.StartWith("model.layers."), "a quantized layer is the most damaged, not a float one");
    }

    [Test]
    public void InspectStatesTheCoverageAndWarnsWhenAMinorityWasAnalysed()
    {
        string folder = TestPaths.NewScratchFolder();
        var checkpoint = QuantizedCheckpoints.Gptq(4, 32, v2: false, actOrder: false);
        Directory.CreateDirectory(Path.Combine(folder, "decoded"));
        Directory.CreateDirectory(Path.Combine(folder, "unconfigured"));
        checkpoint.Write(Path.Combine(folder, "decoded"));
        checkpoint.Write(Path.Combine(folder, "unconfigured"), withConfig: false);

        var decoded = CliRunner.RunIn(folder, "inspect", "decoded/model.safetensors");
        var unconfigured = CliRunner.RunIn(folder, "inspect", "unconfigured/model.safetensors");
        TestContext.Out.WriteLine(decoded.Output + unconfigured.Output);

        Assert.That(decoded.ExitCode, Is.Zero, decoded.Error);
        Assert.That(decoded.Output, Does.Contain("Coverage: 16 of 16 weight matrices analysed (100% of the weight parameters).")
            .And.Contain("28 quantization parameters (scales, zero points, indices) of the quantized weights").And.Not.Contain("SG1017"));
        Assert.That(unconfigured.ExitCode, Is.Zero, unconfigured.Error);
        Assert.That(unconfigured.Output, Does.Contain("Coverage: 2 of 16 weight matrices analysed; 14 unrecognised quantization weights not decoded.").And.Contain("warning SG1017: only 2 of 16").And.Not.Contain("all healthy"));
    }
}
