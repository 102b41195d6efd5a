using SpectralGate.Engine.Baselines;
using SpectralGate.Engine.Errors;
using SpectralGate.Engine.Matrices;
using SpectralGate.Engine.Signatures;
using SpectralGate.Tests.Support;
using static SpectralGate.Tests.Support.TestSignatures;

namespace SpectralGate.Engine.Tests.Baselines;

/// <summary>The ESD summary in signatures and baselines: written and read back, compared by esd_distance, optional in old files.</summary>
public class EsdComparisonTests
{
    private static readonly double[] OneDecade = Enumerable.Range(0, 32).Select(k => Math.Pow(10, k / 31.0)).ToArray();

    private static LayerSignature WithEsd(string name, double[]? esd, double stableRank = 2.0)
    {
        var layer = Layer(name, [8, 8], ("stable_rank", stableRank));
        return new LayerSignature { Name = layer.Name, Shape = layer.Shape, Kind = LayerKind.Linear, Metrics = layer.Metrics, Labels = [], EsdQuantiles = esd };
    }

    [Test]
    public void AScaledSpectrumIsAnEsdDistanceRegressionOverItsTolerance()
    {
        // Every eigenvalue x2 on a one-decade log-uniform ESD: distance log10(2) = 0.30103; tolerance 0.01 absolute, 30.1x over.
        var baseline = Of(WithEsd("w", OneDecade));
        var actual = Of(WithEsd("w", OneDecade.Select(q => 2 * q).ToArray()));

        var finding = SignatureComparer.Compare(baseline, actual, new TolerancePolicy().For("stable_rank", 1e9, 0)).Findings.Single();

        Assert.Multiple(() =>
        {
            Assert.That(finding.Metric, Is.EqualTo("esd_distance"));
            Assert.That(finding.Actual, Is.EqualTo(Math.Log10(2)).Within(1e-9));
            Assert.That(finding.Excess, Is.EqualTo(Math.Log10(2) / 0.01).Within(1e-6));
        });
    }

    [Test]
    public void AnEsdDistanceWithinToleranceIsNoFinding()
    {
        var baseline = Of(WithEsd("w", OneDecade));
        var actual = Of(WithEsd("w", OneDecade.Select(q => 1.02 * q).ToArray())); // log10(1.02) = 0.0086 < 0.01

        Assert.That(SignatureComparer.Compare(baseline, actual).IsMatch, Is.True);
    }

    [Test]
    public void ABaselineWithoutTheSummaryComparesCleanlyWithANote()
    {
        var old = Of(WithEsd("a", null), WithEsd("b", null));
        var current = Of(WithEsd("a", OneDecade), WithEsd("b", OneDecade.Select(q => 100 * q).ToArray()));

        var result = SignatureComparer.Compare(old, current);

        Assert.Multiple(() =>
        {
            Assert.That(result.Findings, Is.Empty);
            Assert.That(result.Notes, Is.EqualTo(new[] { new MetricNote("esd_distance", InBaseline: false, Layers: 2) }));
        });
    }

    [Test]
    public void TheSummaryRoundTripsThroughTheFileAndAFileWithoutItStillReads()
    {
        var signature = Of(WithEsd("a", OneDecade), WithEsd("b", null));
        byte[] bytes = SignatureJson.ToBytes(signature);

        var read = SignatureJson.Parse("x.json", bytes);

        Assert.Multiple(() =>
        {
            Assert.That(read.Layer("a")!.EsdQuantiles, Is.EqualTo(OneDecade.Select(CanonicalNumber.Round).ToArray()));
            Assert.That(read.Layer("b")!.EsdQuantiles, Is.Null);
            Assert.That(SignatureJson.ToBytes(read), Is.EqualTo(bytes));
            Assert.That(System.Text.Encoding.UTF8.GetString(bytes).Split("\"esd_quantiles\"").Length - 1, Is.EqualTo(1), "only layers with a summary carry the key");
        });
    }

    [TestCase("[]", "fewer than two")]
    [TestCase("[1, -2]", "positive number")]
    [TestCase("[3, 2]", "at least the one before")]
    [TestCase("\"1,2\"", "not an array")]
    public void AMalformedSummaryIsRefusedNamingTheLayer(string json, string problem)
    {
        string valid = SignatureJson.ToText(Of(WithEsd("layer.w", [1.0, 2.0])));
        string text = System.Text.RegularExpressions.Regex.Replace(valid, "\"esd_quantiles\": \\[[^\\]]*\\]", "\"esd_quantiles\": " + json);
        Assert.That(text, Is.Not.EqualTo(valid).And.Contain("\"esd_quantiles\": " + json));

        var e = Assert.Throws<BaselineFormatException>(() => SignatureJson.Parse("b.json", System.Text.Encoding.UTF8.GetBytes(text)));

        Assert.That(e!.Message, Does.Contain("layer.w").And.Contain(problem));
    }
}
