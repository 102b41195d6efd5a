using SpectralGate.Engine.Baselines;
using SpectralGate.Engine.Metrics;
using SpectralGate.Engine.Signatures;
using SpectralGate.Engine.Sources;
using SpectralGate.Engine.Spectra;
using SpectralGate.Engine.Sources.Safetensors;
using SpectralGate.Tests.Support;
using static SpectralGate.Engine.Tests.Signatures.WrittenJson;
using static SpectralGate.Tests.Support.TestSignatures;

namespace SpectralGate.Engine.Tests.Baselines;

/// <summary>Baselines survive releases: a metric on one side only is information, and an old release's file still matches.</summary>
public class BaselineCompatibilityTests
{
    [Test]
    public void AMetricTheBaselineLacksIsANewMetricNotAFailure()
    {
        var baseline = Of(Layer("a", [8, 8], ("alpha", 3.0)), Layer("b", [8, 8], ("alpha", 2.0)));
        var actual = Of(Layer("a", [8, 8], ("alpha", 3.0), ("esd_new", 0.5)), Layer("b", [8, 8], ("alpha", 2.0), ("esd_new", 0.7)));

        var result = SignatureComparer.Compare(baseline, actual);

        Assert.Multiple(() =>
        {
            Assert.That(result.IsMatch, Is.True);
            Assert.That(result.Notes, Is.EqualTo(new[] { new MetricNote("esd_new", InBaseline: false, Layers: 2) }));
            Assert.That(result.Notes[0].Message, Does.StartWith("new metric 'esd_new'").And.Contain("not compared"));
        });
    }

    [Test]
    public void AMetricOnlyTheBaselineHasIsNoLongerComputedNotAFailure()
    {
        var baseline = Of(Layer("a", [8, 8], ("alpha", 3.0), ("retired_metric", 1.5)));
        var actual = Of(Layer("a", [8, 8], ("alpha", 3.0)));

        var result = SignatureComparer.Compare(baseline, actual);

        Assert.Multiple(() =>
        {
            Assert.That(result.IsMatch, Is.True);
            Assert.That(result.Notes, Is.EqualTo(new[] { new MetricNote("retired_metric", InBaseline: true, Layers: 1) }));
            Assert.That(result.Notes[0].Message, Does.Contain("no longer computed"));
        });
    }

    [Test]
    public void AMetricBecomingUndefinedOnBothSidesOfTheKeyIsStillARegression()
    {
        // Present on both sides, a number becoming null is a change of the model, not of the release.
        var baseline = Of(Layer("a", [8, 8], ("alpha", 3.0)));
        var actual = Of(Layer("a", [8, 8], ("alpha", null)));

        var result = SignatureComparer.Compare(baseline, actual);

        Assert.That(result.Findings.Single().Message, Is.EqualTo("metric became undefined"));
    }

    [Test]
    public void ABaselineWrittenByTheReleaseOf20261201StillMatches()
    {
        string fixture = Path.Combine(AppContext.BaseDirectory, "Fixtures", "compat", "bars-cnn.2026-12-01.spectral.json");
        string model = Path.Combine(TestPaths.RepositoryRoot, "samples", "CheckpointGate", "models", "bars-cnn.safetensors");
        var (baseline, rules) = BaselineFile.Read(fixture);
        using var source = new SafetensorsFileSource(model);

        // With the settings that release recorded: since then alpha_farms became opt-in and the MP default changed
        // (issue 15). Each is a settings change (SG1007) by design, not a format incompatibility.
        var actual = SpectralEngine.Compute(source, new SignatureOptions { Farms = true, Metrics = new MetricOptions { MpEstimator = MpSigmaEstimator.BulkTrimmedMean } });
        var result = SignatureComparer.Compare(baseline, actual, TolerancePolicy.FromRules(rules));
        var byDefault = SignatureComparer.Compare(baseline, SpectralEngine.Compute(source), TolerancePolicy.FromRules(rules));

        Assert.Multiple(() =>
        {
            Assert.That(result.Findings, Is.Empty);
            Assert.That(byDefault.Findings.Where(f => f.Kind == FindingKind.SettingsChanged).Select(f => f.Metric), Is.EquivalentTo(new[] { "farms", "mp_estimator" }),
                "by default, the two settings that changed since say why the MP metrics moved");
            Assert.That(byDefault.Findings.Where(f => f.Kind == FindingKind.SettingsChanged).Select(f => f.Message), Is.EquivalentTo(new[]
            {
                "setting 'farms' is 'off' but the baseline was computed with 'window=128,per_dim=8' (pass --farms (MSBuild: Farms=\"true\") to compute as it was)",
                "setting 'mp_estimator' is 'bulk_median' but the baseline was computed with 'bulk_trimmed_mean' (pass --mp-fit trimmed-mean (MSBuild: MpFit=\"trimmed-mean\") to compute as it was)",
            }), "each names the option that computes as the baseline did");
            Assert.That(result.LayersCompared, Is.EqualTo(baseline.Layers.Count));
            Assert.That(actual.Model with { Path = "" }, Is.EqualTo(baseline.Model with { Path = "" }), "sha256, format and parameter count");
        });
    }

    [TestCase("bars-cnn.2026-12-01.spectral.json")]
    [TestCase("bars-cnn.2026-12-01.float32.spectral.json")]
    public void ABaselineOfTheReleaseOf20261201IsReadWithEveryValueAndRule(string name)
    {
        // The second was written with float32, an exclusion and a layer-glob rule (Fixtures/compat/README.md).
        string path = Fixture(name);

        var (baseline, tolerances) = BaselineFile.ReadRecorded(path);

        var root = Root(path);
        Assert.Multiple(() =>
        {
            AssertSignature(baseline, root, path);
            AssertTolerances(tolerances, root.GetProperty("tolerances"), path);
        });
    }

    [Test]
    public void AFloat32BaselineOfThatReleaseJudgesTodaysSignatureWithItsOwnRules()
    {
        string path = Fixture("bars-cnn.2026-12-01.float32.spectral.json");
        string model = Path.Combine(TestPaths.RepositoryRoot, "samples", "models", "bars-cnn.safetensors");
        var (baseline, tolerances) = BaselineFile.ReadRecorded(path);
        using var source = new SafetensorsFileSource(model);

        // Its settings, as recorded: float32, fc2 excluded, and that release's defaults of FARMS and the MP fit.
        var actual = SpectralEngine.Compute(source, new SignatureOptions
        {
            Precision = SpectrumPrecision.Float32, Selection = new TensorSelection { Exclude = ["fc2.*"] }, Farms = true,
            Metrics = new MetricOptions { MpEstimator = MpSigmaEstimator.BulkTrimmedMean },
        });
        var result = SignatureComparer.Compare(baseline, actual, tolerances.Resolve([]));

        Assert.Multiple(() =>
        {
            Assert.That(result.Findings, Is.Empty);
            Assert.That(result.LayersCompared, Is.EqualTo(2), "conv2 and fc1; fc2 excluded");
        });
    }

    [Test]
    public void AnAddedLayerDoesNotLowerTheMatchCount()
    {
        var baseline = Of(Layer("a", [8, 8], ("alpha", 3.0)), Layer("b", [8, 8], ("alpha", 3.0)), Layer("c", [8, 8], ("alpha", 3.0)));
        var actual = Of(Layer("a", [8, 8], ("alpha", 3.0)), Layer("b", [8, 8], ("alpha", 3.0)), Layer("c", [8, 8], ("alpha", 3.0)), Layer("d", [8, 8], ("alpha", 3.0)));
        var changed = Of(Layer("a", [8, 8], ("alpha", 9.0)), Layer("b", [8, 8], ("alpha", 3.0)));

        var added = SignatureComparer.Compare(baseline, actual);
        var oneChangedOneRemoved = SignatureComparer.Compare(baseline, changed);

        Assert.Multiple(() =>
        {
            Assert.That(added.LayersMatching, Is.EqualTo(3), "3 of 3 compared layers match; 'd' was added");
            Assert.That(added.LayersCompared, Is.EqualTo(3));
            Assert.That(oneChangedOneRemoved.LayersCompared, Is.EqualTo(2), "'c' was removed");
            Assert.That(oneChangedOneRemoved.LayersMatching, Is.EqualTo(1), "'a' moved");
        });
    }

    [Test]
    public void TheSummaryCountsChangedLayersAndNamesTheLargestRelativeChange()
    {
        var baseline = Of(Layer("a", [8, 8], ("alpha", 3.0), ("stable_rank", 6.42)), Layer("b", [8, 8], ("alpha", 3.0)), Layer("c", [8, 8], ("alpha", 3.0)));
        // a: stable_rank 6.42 -> 59.5 is (59.5 - 6.42) / 6.42 = 826.8%; b: alpha 3 -> 4 is 33.3%.
        var actual = Of(Layer("a", [8, 8], ("alpha", 3.0), ("stable_rank", 59.5)), Layer("b", [8, 8], ("alpha", 4.0)), Layer("c", [8, 8], ("alpha", 3.0)), Layer("d", [8, 8], ("alpha", 3.0)));

        var result = SignatureComparer.Compare(baseline, actual);

        Assert.Multiple(() =>
        {
            Assert.That(result.LargestRelativeChange!.RelativeChange, Is.EqualTo((59.5 - 6.42) / 6.42).Within(1e-12));
            Assert.That(result.Summary, Is.EqualTo("2 of 3 compared layers changed; largest relative change stable_rank on 'a': 6.42 -> 59.5 (826.8%)"));
        });
    }
}
