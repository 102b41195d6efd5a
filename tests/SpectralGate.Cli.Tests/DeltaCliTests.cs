using System.Text;
using SpectralGate.Engine.Deltas;
using SpectralGate.Engine.Signatures;
using SpectralGate.Engine.Sources.Safetensors;
using SpectralGate.Tests.Support;

namespace SpectralGate.Cli.Tests;

public class DeltaCliTests
{
    [Test]
    public void DiffDeltaWritesTheSameFileAsTheApiAndSaysWhatChanged()
    {
        var w = DeltaFixtures.Gaussian(32, 24, seed: 1);
        string basePath = DeltaFixtures.Checkpoint(("a.weight", w), ("b.weight", w));
        string tunedPath = DeltaFixtures.Checkpoint(("a.weight", w + 0.1 * DeltaFixtures.Gaussian(32, 24, seed: 2)), ("b.weight", w));
        string json = Path.Combine(TestPaths.NewScratchFolder(), "delta.json");

        var result = CliRunner.Run("diff", basePath, tunedPath, "--delta", "--json", json);

        byte[] expected;
        using (var baseSource = new SafetensorsFileSource(basePath))
        using (var tuned = new SafetensorsFileSource(tunedPath))
            expected = DeltaJson.ToBytes(DeltaEngine.Compute(baseSource, tuned));
        Assert.Multiple(() =>
        {
            Assert.That(result.ExitCode, Is.EqualTo(0), result.Error);
            Assert.That(result.Output, Does.Contain("1 layers changed, 1 unchanged"));
            Assert.That(Encoding.UTF8.GetString(File.ReadAllBytes(json)), Is.EqualTo(Encoding.UTF8.GetString(expected)));
        });
    }

    [Test]
    public void DiffDeltaSketchComputesTheSketchedDeltaAndRecordsIt()
    {
        // Smaller side 520, above the default exact_up_to of 512: sketched.
        var w = DeltaFixtures.Gaussian(600, 520, seed: 3);
        string basePath = DeltaFixtures.Checkpoint(("a.weight", w));
        string tunedPath = DeltaFixtures.Checkpoint(("a.weight", w + DeltaFixtures.Gaussian(600, 2, seed: 4).matmul(DeltaFixtures.Gaussian(2, 520, seed: 5))));
        string json = Path.Combine(TestPaths.NewScratchFolder(), "delta.json");

        var result = CliRunner.Run("diff", basePath, tunedPath, "--delta", "--sketch", "--json", json);

        DeltaSignature expected;
        using (var baseSource = new SafetensorsFileSource(basePath))
        using (var tuned = new SafetensorsFileSource(tunedPath))
            expected = DeltaEngine.Compute(baseSource, tuned, new DeltaOptions { Sketch = new SpectralGate.Engine.Spectra.SketchOptions() });
        Assert.Multiple(() =>
        {
            Assert.That(result.ExitCode, Is.EqualTo(0), result.Error);
            Assert.That(expected.Settings["sketch"], Is.EqualTo("block_lanczos,block=16,steps=8,exact_up_to=512,seed=0"));
            Assert.That(Encoding.UTF8.GetString(File.ReadAllBytes(json)), Is.EqualTo(DeltaJson.ToText(expected)));
        });
    }

    [TestCase("--farms")]
    [TestCase("--mp-fit", "weightwatcher")]
    public void DiffDeltaRefusesASignatureOptionItHasNoStepFor(params string[] option)
    {
        var w = DeltaFixtures.Gaussian(16, 16, seed: 1);
        string basePath = DeltaFixtures.Checkpoint(("a.weight", w));
        string tunedPath = DeltaFixtures.Checkpoint(("a.weight", 2 * w));

        var result = CliRunner.Run(["diff", basePath, tunedPath, "--delta", .. option]);

        Assert.Multiple(() =>
        {
            Assert.That(result.ExitCode, Is.EqualTo(2));
            Assert.That(result.Error, Does.Contain($"error: {option[0]} cannot apply to --delta"));
        });
    }

    [Test]
    public void InspectAnAdapterFolderGivesOneLayerPerModuleNamedAfterTheBaseWeight()
    {
        string folder = DeltaFixtures.WriteAdapter(r: 4, alpha: 8, rslora: false, ("model.layers.0.self_attn.q_proj.weight", 48, 32));

        var result = CliRunner.Run("inspect", folder, "--json", "-");

        Assert.That(result.ExitCode, Is.EqualTo(0), result.Error);
        var layer = SignatureJson.Parse("stdout", Encoding.UTF8.GetBytes(result.Output)).Layers.Single();
        Assert.Multiple(() =>
        {
            Assert.That(layer.Name, Is.EqualTo("model.layers.0.self_attn.q_proj.weight"));
            Assert.That(layer[AdapterSpectra.LoraRank], Is.EqualTo(4));
            Assert.That(layer[SpectralGate.Engine.Metrics.MetricNames.NumericalRank], Is.EqualTo(4));
        });
    }

    [Test]
    public void DiffDeltaOfUnrelatedModelsIsAnErrorWithExitCode2()
    {
        string basePath = DeltaFixtures.Checkpoint(("a.weight", DeltaFixtures.Gaussian(16, 16, seed: 1)));
        string tunedPath = DeltaFixtures.Checkpoint(("z.weight", DeltaFixtures.Gaussian(16, 16, seed: 1)));

        var result = CliRunner.Run("diff", basePath, tunedPath, "--delta");

        Assert.Multiple(() =>
        {
            Assert.That(result.ExitCode, Is.EqualTo(2));
            Assert.That(result.Error, Does.Contain("nothing compared").And.Contain(basePath));
        });
    }
}
