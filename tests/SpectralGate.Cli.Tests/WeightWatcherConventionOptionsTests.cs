using SpectralGate.Engine.Signatures;
using SpectralGate.Tests.Support;

namespace SpectralGate.Cli.Tests;

/// <summary><c>--mp-fit</c> and <c>--conv-norm</c> reach the engine and are recorded in the signature settings.</summary>
public class WeightWatcherConventionOptionsTests
{
    private static string Sample => Path.Combine(TestPaths.RepositoryRoot, "samples", "models", "bars-cnn.safetensors");

    [Test]
    public void WeightWatcherConventionsAreRecordedAndHalveOnlyConvEigenvalues()
    {
        string folder = TestPaths.NewScratchFolder();
        string plainPath = Path.Combine(folder, "plain.json"), wwPath = Path.Combine(folder, "ww.json");

        var plainRun = CliRunner.Run("inspect", Sample, "--json", plainPath);
        var wwRun = CliRunner.Run("inspect", Sample, "--json", wwPath, "--mp-fit", "weightwatcher", "--conv-norm", "weightwatcher");

        Assert.That(plainRun.ExitCode, Is.EqualTo(0), plainRun.Error);
        Assert.That(wwRun.ExitCode, Is.EqualTo(0), wwRun.Error);
        var plain = SignatureJson.Read(plainPath);
        var ww = SignatureJson.Read(wwPath);
        Assert.That(plain.Settings["mp_estimator"], Is.EqualTo("bulk_median"));
        Assert.That(plain.Settings.ContainsKey("conv_normalisation"), Is.False);
        Assert.That(ww.Settings["mp_estimator"], Is.EqualTo("weightwatcher_fit"));
        Assert.That(ww.Settings["conv_normalisation"], Is.EqualTo("weightwatcher"));
        var conv = plain.Layers.Single(l => l.Kind == Engine.Matrices.LayerKind.Conv).Name;
        Assert.That(ww.Layer(conv)!["log_norm"], Is.EqualTo(plain.Layer(conv)!["log_norm"] - Math.Log10(2)).Within(1e-8));
        Assert.That(ww.Layer("fc1.weight")!["log_norm"], Is.EqualTo(plain.Layer("fc1.weight")!["log_norm"]));
        Assert.That(ww.Layer("fc1.weight")!["mp_sigma"], Is.Not.EqualTo(plain.Layer("fc1.weight")!["mp_sigma"]), "a different MP fit");
    }
}
