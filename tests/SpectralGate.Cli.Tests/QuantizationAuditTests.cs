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
}
