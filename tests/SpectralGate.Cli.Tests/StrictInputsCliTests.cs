using System.Text.Json.Nodes;
using SpectralGate.Tests.Support;

namespace SpectralGate.Cli.Tests;

/// <summary>
/// Strict inputs at the command line: an --include glob that matches no tensor is exit 2 naming the glob; a baseline
/// key this release does not know is a warning naming the key and the file (SG1016 in `check`, stderr in `diff`),
/// and the check still passes.
/// </summary>
public class StrictInputsCliTests
{
    private static string Sample => Path.Combine(TestPaths.RepositoryRoot, "samples", "models", "bars-cnn.safetensors");

    [Test]
    public void AnIncludeGlobMatchingNoTensorIsBadInputNamingTheGlob()
    {
        var r = CliRunner.Run("inspect", Sample, "--include", "fc*.weight", "--include", "fc9.*");

        Assert.That(r.ExitCode, Is.EqualTo(2), r.Output + r.Error);
        Assert.That(r.Error, Does.Contain("include glob 'fc9.*'").And.Contain("bars-cnn.safetensors"));
    }

    [Test]
    public void AnUnknownBaselineKeyIsAWarningNamingItAndTheFileAndTheCheckPasses()
    {
        string baseline = Path.Combine(TestPaths.NewScratchFolder(), "bars.spectral.json");
        var accept = CliRunner.Run("check", Sample, "--baseline", baseline, "--accept", "--force");
        Assert.That(accept.ExitCode, Is.EqualTo(0), accept.Output + accept.Error);
        var json = JsonNode.Parse(File.ReadAllText(baseline))!.AsObject();
        json["esd_overlay"] = new JsonObject();
        File.WriteAllText(baseline, json.ToJsonString());

        var check = CliRunner.Run("check", Sample, "--baseline", baseline);
        var diff = CliRunner.Run("diff", baseline, baseline);

        Assert.Multiple(() =>
        {
            Assert.That(check.ExitCode, Is.EqualTo(0), check.Output + check.Error);
            Assert.That(check.Output, Does.Contain($"{baseline}(1,1): warning SG1016: unknown key 'esd_overlay'"));
            Assert.That(diff.ExitCode, Is.EqualTo(0), diff.Output + diff.Error);
            Assert.That(diff.Error, Does.Contain($"warning: {baseline}: unknown key 'esd_overlay'"));
        });
    }
}
