using SpectralGate.Tests.Support;

namespace SpectralGate.Cli.Tests;

/// <summary>The CLI answers the committed hostile corpus (Engine.Tests' Fixtures/hostile) with exit code 2 and a one-line message.</summary>
public class HostileInputTests
{
    private static string Corpus => Path.Combine(AppContext.BaseDirectory, "Fixtures", "hostile");

    [TestCase("safetensors/terabyte-claim.safetensors")]
    [TestCase("torchsharp/dims-overflow.dat")]
    [TestCase("index/escape.safetensors.index.json")]
    [TestCase("onnx/nested-subgraphs.onnx")]
    [TestCase("onnx/external-escape.onnx")]
    [TestCase("gguf/absurd-tensor-count.gguf")]
    [TestCase("gguf/offset-past-end.gguf")]
    [TestCase("pytorch/os-system.pt")]
    [TestCase("pytorch/legacy.pt")]
    public void TheCliAnswersHostileModelsWithExitCodeTwo(string file)
    {
        var r = CliRunner.Run("inspect", Path.Combine(Corpus, file));

        Assert.That(r.ExitCode, Is.EqualTo(2));
        Assert.That(r.Error, Does.StartWith("error: ").And.Not.Contain("   at "));
    }

    [Test]
    public void TheGateReportsAnUnreadableBaselineAsSg1005()
    {
        string model = Path.Combine(TestPaths.RepositoryRoot, "samples", "models", "bars-cnn.safetensors");

        var r = CliRunner.Run("check", model, "--baseline", Path.Combine(Corpus, "baselines", "metric-is-string.spectral.json"));

        Assert.That(r.ExitCode, Is.EqualTo(2));
        Assert.That(r.Output, Does.Contain("error SG1005").And.Contain("'alpha'"));
    }
}
