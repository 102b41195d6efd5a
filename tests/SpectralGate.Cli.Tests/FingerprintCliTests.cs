using SpectralGate.Engine.Sources.Safetensors;
using SpectralGate.Tests.Support;

namespace SpectralGate.Cli.Tests;

/// <summary><c>diff</c> and <c>check</c> say when a layer's values changed with its spectrum, and fail on it only when asked (SG1015).</summary>
public class FingerprintCliTests
{
    private static float[] Values()
    {
        var random = new Random(3);
        return Enumerable.Range(0, 48 * 32).Select(_ => random.Next(-64, 65) / 16f).ToArray();
    }

    private static (string Baseline, string Permuted) Models()
    {
        float[] values = Values();
        float[] permuted = Enumerable.Range(0, 48).Reverse().SelectMany(r => values.Skip(r * 32).Take(32)).ToArray();
        return (SafetensorsFixtures.Write(SafetensorsWriter.Float32("a.weight", [48, 32], values), SafetensorsWriter.Float32("b.weight", [48, 32], values)),
                SafetensorsFixtures.Write(SafetensorsWriter.Float32("a.weight", [48, 32], permuted), SafetensorsWriter.Float32("b.weight", [48, 32], values)));
    }

    [Test]
    public void DiffNamesTheSpectrallyEquivalentLayerAndFailsOnItOnlyWhenAsked()
    {
        var (baseline, permuted) = Models();

        var quiet = CliRunner.Run("diff", baseline, permuted);
        var strict = CliRunner.Run("diff", baseline, permuted, "--fail-on-equivalent-change");

        Assert.Multiple(() =>
        {
            Assert.That(quiet.ExitCode, Is.EqualTo(0), quiet.Output + quiet.Error);
            Assert.That(quiet.Output, Does.Contain("fingerprints: 1 unchanged, 1 changed, spectrally equivalent (a.weight), 0 changed"));
            Assert.That(strict.ExitCode, Is.EqualTo(1), strict.Output + strict.Error);
            Assert.That(strict.Output, Does.Contain("a.weight").And.Contain("changed, spectrally equivalent: its values changed"));
        });
    }

    [Test]
    public void CheckReportsSG1015OnlyWithTheSetting()
    {
        var (baseline, permuted) = Models();
        string baselineFile = Path.Combine(TestPaths.NewScratchFolder(), "model.spectral.json");
        var accepted = CliRunner.Run("check", baseline, "--baseline", baselineFile, "--accept", "--force");

        var quiet = CliRunner.Run("check", permuted, "--baseline", baselineFile);
        var strict = CliRunner.Run("check", permuted, "--baseline", baselineFile, "--fail-on-equivalent-change");

        Assert.Multiple(() =>
        {
            Assert.That(accepted.ExitCode, Is.EqualTo(0), accepted.Output + accepted.Error);
            Assert.That(quiet.ExitCode, Is.EqualTo(0), quiet.Output + quiet.Error);
            Assert.That(quiet.Output, Does.Contain("info: fingerprints: 1 unchanged, 1 changed, spectrally equivalent (a.weight)"));
            Assert.That(strict.ExitCode, Is.EqualTo(1), strict.Output + strict.Error);
            Assert.That(strict.Output, Does.Contain("error SG1015: layer 'a.weight': changed, spectrally equivalent"));
            Assert.That(strict.Output, Does.Not.Contain("SG1001"));
        });
    }
}
