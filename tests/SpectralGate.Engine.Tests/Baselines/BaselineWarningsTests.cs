using System.Text;
using System.Text.Json.Nodes;
using SpectralGate.Engine.Baselines;
using SpectralGate.Engine.Gate;
using SpectralGate.Engine.Probes;
using SpectralGate.Engine.Signatures;
using SpectralGate.Engine.Sources;
using SpectralGate.Tests.Support;

namespace SpectralGate.Engine.Tests.Baselines;

/// <summary>
/// What a baseline holds that this release does not understand is a warning naming the key (forward compatibility:
/// never an error), and a tolerance rule of an unknown metric says which metric was meant; in code the same typo
/// is an error.
/// </summary>
public class BaselineWarningsTests
{
    private static string Model => Path.Combine(TestPaths.RepositoryRoot, "samples", "models", "bars-cnn.safetensors");

    private static JsonObject Baseline(TolerancePolicy? policy = null)
    {
        using var source = ModelSources.Open(Model);
        var signature = SpectralEngine.Compute(source, new SignatureOptions { Selection = new TensorSelection { Include = ["fc*.weight"] } });
        return JsonNode.Parse(BaselineFile.ToBytes(signature, policy ?? new TolerancePolicy().For("fc*", "alpha", 0.2, 0.05)))!.AsObject();
    }

    private static byte[] Bytes(JsonObject o) => Encoding.UTF8.GetBytes(o.ToJsonString());

    [Test]
    public void ABaselineAsTheWritersWriteItHasNoWarnings()
    {
        // Keeps TopLevelKeys in step with SignatureJson and BaselineFile: a key they add must be listed.
        var baseline = Baseline();

        Assert.That(BaselineWarnings.Of(Bytes(baseline)), Is.Empty);
        Assert.That(baseline.Select(p => p.Key), Is.SubsetOf(BaselineWarnings.TopLevelKeys));
    }

    [Test]
    public void UnknownKeysAreWarningsNamingTheKeyAndTheBaselineStillReads()
    {
        var baseline = Baseline();
        baseline["esd_overlay"] = new JsonObject();
        baseline["tolerances"]!["overrides"] = new JsonArray();
        baseline["tolerances"]!["rules"]![0]!["note"] = "why";

        var warnings = BaselineWarnings.Of(Bytes(baseline));

        Assert.That(warnings, Is.EqualTo(new[]
        {
            "unknown key 'esd_overlay' ignored (written by a later release, or a typo).",
            "unknown key 'tolerances.overrides' ignored (written by a later release, or a typo).",
            "unknown key 'tolerances.rules[0].note' ignored (written by a later release, or a typo).",
        }));
        Assert.DoesNotThrow(() => BaselineFile.Parse("b.spectral.json", Bytes(baseline)));
    }

    [Test]
    public void ARuleOfAnUnknownMetricInABaselineSaysWhichMetricWasMeant()
    {
        var baseline = Baseline();
        baseline["tolerances"]!["rules"]![0]!["metric"] = "stable_rnak";

        Assert.That(BaselineWarnings.Of(Bytes(baseline)),
            Is.EqualTo(new[] { "tolerance rule 0 ('fc*') never applies: unknown metric 'stable_rnak'; did you mean 'stable_rank'?" }));
    }

    [Test]
    public void ARuleOfAnUnknownMetricInCodeIsAnErrorSayingWhichMetricWasMeant()
    {
        var e = Assert.Throws<ArgumentException>(() => new TolerancePolicy().For("fc*", "stable_rnak", 0.1, 0.1));

        Assert.That(e!.Message, Does.StartWith("unknown metric 'stable_rnak'; did you mean 'stable_rank'?"));
        Assert.DoesNotThrow(() => new TolerancePolicy().For("*", 0.1, 0.1).For("fc*", "alpha", 0.1, 0.1));
        // Read from a baseline (maybe a later release's), the same rule is kept: the warning above says it never applies.
        Assert.DoesNotThrow(() => TolerancePolicy.FromRules([new ToleranceRule("fc*", "stable_rnak", new Tolerance(0.1, 0.1))]));
    }

    [Test]
    public void ARuleOnAProbeSectionsMetricIsKnownInCodeAndInABaseline()
    {
        var policy = new TolerancePolicy().For("probe:recurrence/*", ProbeMetricNames.NegativeEigenvalueShare, 0.05, 0);

        Assert.That(policy.Rules.Single().Metric, Is.EqualTo("negative_eigenvalue_share"));
        Assert.That(BaselineWarnings.Of(Bytes(Baseline(policy))), Is.Empty);
    }

    [Test]
    public void TheGateReportsThemAsWarningsSG1016AndStillPasses()
    {
        string folder = TestPaths.NewScratchFolder();
        string path = Path.Combine(folder, "bars.spectral.json");
        var baseline = Baseline();
        baseline["esd_overlay"] = new JsonObject();
        File.WriteAllBytes(path, Bytes(baseline));

        var result = GateCheck.Run(new GateRequest
        {
            ModelPath = Model, BaselinePath = path, AcceptHint = "accept",
            Signature = new SignatureOptions { Selection = new TensorSelection { Include = ["fc*.weight"] } },
        });

        Assert.That(result.HasErrors, Is.False, string.Join("\n", result.Diagnostics));
        var warning = result.Diagnostics.Single();
        Assert.That((warning.Code, warning.IsError, warning.File), Is.EqualTo((GateCodes.BaselineNotUnderstood, false, path)));
        Assert.That(warning.Message, Does.Contain("'esd_overlay'"));
    }
}
