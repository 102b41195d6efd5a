using SpectralGate.Engine.Baselines;
using SpectralGate.Engine.Reports;
using SpectralGate.Engine.Sources.Safetensors;
using SpectralGate.Tests.Support;

namespace SpectralGate.Engine.Tests.Baselines;

/// <summary>The weight error columns of the quantization audit against values worked out by hand.</summary>
public class WeightErrorTests
{
    private const string Dense = "model.layers.0.mlp.up_proj.weight", Experts = "model.layers.0.mlp.experts.down_proj";

    // W = 2·I (8x8), ‖W‖_F² = 32. W_q differs by +0.5 at (0,0) and −0.25 at (3,5): ‖E‖_F² = 0.3125.
    private static float[] Identity(float scale) => Enumerable.Range(0, 64).Select(i => i % 9 == 0 ? scale : 0f).ToArray();

    private static (string Float, string Quantized) Write()
    {
        float[] w = Identity(2), q = Identity(2);
        q[0] = 2.5f;
        q[3 * 8 + 5] = -0.25f;
        float[] experts = [.. Identity(1), .. Identity(1)];
        float[] expertsQ = [.. Identity(1), .. Identity(1)];
        expertsQ[64 + 7] = 0.125f; // expert 1 only
        string folder = TestPaths.NewScratchFolder();
        string a = Path.Combine(folder, "float.safetensors"), b = Path.Combine(folder, "quantized.safetensors");
        SafetensorsWriter.Write(a, [SafetensorsWriter.Float32(Dense, [8, 8], w), SafetensorsWriter.Float32(Experts, [2, 8, 8], experts), SafetensorsWriter.Float32("odd.weight", [8, 8], w)]);
        SafetensorsWriter.Write(b, [SafetensorsWriter.Float32(Dense, [8, 8], q), SafetensorsWriter.Float32(Experts, [2, 8, 8], expertsQ), SafetensorsWriter.Float32("odd.weight", [8, 16], [.. w, .. w])]);
        return (a, b);
    }

    [Test]
    public void RelativeFrobeniusRmseAndMaxErrorAreTheHandComputedValues()
    {
        var (a, b) = Write();
        using var reference = new SafetensorsFileSource(a);
        using var compared = new SafetensorsFileSource(b);

        var errors = WeightError.Compute(reference, compared, [Dense, Experts + "[0]", Experts + "[1]", "odd.weight"]);

        Assert.Multiple(() =>
        {
            Assert.That(errors[Dense].RelativeFrobenius, Is.EqualTo(Math.Sqrt(0.3125 / 32)).Within(1e-15));
            Assert.That(errors[Dense].Rmse, Is.EqualTo(Math.Sqrt(0.3125 / 64)).Within(1e-15));
            Assert.That(errors[Dense].MaxAbs, Is.EqualTo(0.5));
            Assert.That(errors[Experts + "[0]"], Is.EqualTo(new WeightError(0, 0, 0)));
            Assert.That(errors[Experts + "[1]"].RelativeFrobenius, Is.EqualTo(0.125 / Math.Sqrt(8)).Within(1e-15));
            Assert.That(errors[Experts + "[1]"].MaxAbs, Is.EqualTo(0.125));
            Assert.That(errors.ContainsKey("odd.weight"), Is.False, "shapes differ: no error");
        });
    }

    [Test]
    public void TheDamageTableShowsTheErrorColumnsOnlyWhenTheWeightsWereCompared()
    {
        var damage = new LayerDamage(Dense, "spectral_norm", 2, 2.5, 1.25);
        string without = LayerDamageTable.Render([damage]);
        string with = LayerDamageTable.Render([damage with { Error = new WeightError(Math.Sqrt(0.3125 / 32), Math.Sqrt(0.3125 / 64), 0.5) }]);

        Assert.Multiple(() =>
        {
            Assert.That(without, Does.Not.Contain("rmse"));
            Assert.That(with, Does.Contain("rel. error").And.Contain("rmse").And.Contain("max |error|"));
            Assert.That(with, Does.Contain("0.0988").And.Contain("6.988e-02").And.Contain("5.000e-01"));
        });
    }

    [Test]
    public void DiffByDamageOfTwoModelFilesPrintsTheErrorColumns()
    {
        var (a, b) = Write();

        var result = CliRunner.Run("diff", a, b, "--by-damage");

        Assert.That(result.Output, Does.Contain("rel. error").And.Contain("0.0988").And.Contain("5.000e-01"), result.Output + result.Error);
    }
}
