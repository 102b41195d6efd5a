using SpectralGate.Engine.Baselines;
using SpectralGate.Engine.Signatures;
using static SpectralGate.Tests.Support.TestSignatures;

namespace SpectralGate.Engine.Tests.Baselines;

public class SignatureComparerTests
{
    [Test]
    public void ToleranceIsAbsolutePlusRelativeToTheBaseline()
    {
        var t = new Tolerance(0.1, 0.05);

        Assert.Multiple(() =>
        {
            // allowed = 0.1 + 0.05 * 4 = 0.3
            Assert.That(t.Accepts(4.0, 4.3), Is.True);
            Assert.That(t.Accepts(4.0, 3.7), Is.True);
            Assert.That(t.Accepts(4.0, 4.31), Is.False);
            // asymmetric: relative to the baseline, not the actual value
            Assert.That(t.Accepts(-4.0, -4.3), Is.True);
            Assert.That(Tolerance.Exact.Accepts(1.0, 1.0), Is.True);
        });
    }

    [Test]
    public void IdenticalSignaturesMatch()
    {
        var s = Of(Layer("a", [8, 8], ("alpha", 3.0), ("stable_rank", 2.0)));

        Assert.That(SignatureComparer.Compare(s, s).IsMatch, Is.True);
    }

    [Test]
    public void AMetricBeyondItsDefaultToleranceIsARegression()
    {
        var baseline = Of(Layer("a", [8, 8], ("alpha", 3.0), ("stable_rank", 2.0)));
        var actual = Of(Layer("a", [8, 8], ("alpha", 3.2), ("stable_rank", 2.2)));

        var result = SignatureComparer.Compare(baseline, actual);

        // alpha: 0.2 <= 0.1 + 0.05*3 = 0.25 passes; stable_rank: 0.2 > 0.02*2 = 0.04 fails (5x over)
        var finding = result.Findings.Single();
        Assert.Multiple(() =>
        {
            Assert.That(finding.Kind, Is.EqualTo(FindingKind.Regression));
            Assert.That(finding.Metric, Is.EqualTo("stable_rank"));
            Assert.That(finding.Excess, Is.EqualTo(5.0).Within(1e-9));
        });
    }

    [Test]
    public void OverridesApplyPerLayerGlobAndTheLastRuleWins()
    {
        var baseline = Of(Layer("blocks.0.fc1", [8, 8], ("stable_rank", 2.0)), Layer("blocks.0.fc2", [8, 8], ("stable_rank", 2.0)));
        var actual = Of(Layer("blocks.0.fc1", [8, 8], ("stable_rank", 2.2)), Layer("blocks.0.fc2", [8, 8], ("stable_rank", 2.2)));
        var policy = new TolerancePolicy().For("stable_rank", 0, 0.5).For("blocks.*.fc2", "*", 0, 0.01);

        var result = SignatureComparer.Compare(baseline, actual, policy);

        Assert.That(result.Findings.Select(f => f.Layer), Is.EqualTo(new[] { "blocks.0.fc2" }));
    }

    [Test]
    public void StructuralChangesAlwaysFailWhateverTheTolerance()
    {
        var baseline = Of(Layer("kept", [8, 8], ("alpha", 3.0)), Layer("removed", [8, 8]), Layer("reshaped", [8, 8]));
        var actual = Of(Layer("kept", [8, 8], ("alpha", 3.0)), Layer("reshaped", [8, 16]), Layer("added", [4, 4]));
        var loose = new TolerancePolicy().For("*", 1e9, 1e9);

        var result = SignatureComparer.Compare(baseline, actual, loose);

        Assert.That(result.Findings.Select(f => (f.Kind, f.Layer)), Is.EquivalentTo(new[]
        {
            (FindingKind.StructuralChange, "removed"),
            (FindingKind.StructuralChange, "reshaped"),
            (FindingKind.StructuralChange, "added"),
        }));
        Assert.That(result.LayersCompared, Is.EqualTo(1));
    }

    [Test]
    public void AMetricThatBecomesUndefinedIsARegression()
    {
        var result = SignatureComparer.Compare(Of(Layer("a", [8, 8], ("alpha", 3.0))), Of(Layer("a", [8, 8], ("alpha", null))));

        Assert.That(result.Findings.Single().Message, Does.Contain("undefined"));
    }

    [Test]
    public void DifferentSettingsAreReported()
    {
        var baseline = Of(Layer("a", [8, 8]));
        var actual = new SpectralSignature
        {
            Model = baseline.Model,
            Settings = new SortedDictionary<string, string>(StringComparer.Ordinal) { ["precision"] = "float32" },
            Layers = baseline.Layers,
            Skipped = [],
        };

        var finding = SignatureComparer.Compare(baseline, actual).Findings.Single();

        Assert.That(finding.Kind, Is.EqualTo(FindingKind.SettingsChanged));
        Assert.That(finding.Message, Does.Contain("float32").And.Contain("float64"));
    }

    [Test]
    public void FindingsAreSortedStructuralFirstThenByHowFarOverTolerance()
    {
        var baseline = Of(Layer("a", [8, 8], ("stable_rank", 2.0)), Layer("b", [8, 8], ("stable_rank", 2.0)), Layer("c", [8, 8]));
        var actual = Of(Layer("a", [8, 8], ("stable_rank", 2.1)), Layer("b", [8, 8], ("stable_rank", 3.0)));

        var result = SignatureComparer.Compare(baseline, actual);

        Assert.That(result.Findings.Select(f => f.Layer), Is.EqualTo(new[] { "c", "b", "a" }));
    }
}
