using SpectralGate.Engine.Baselines;
using SpectralGate.Engine.Gate;
using SpectralGate.Engine.Reports;
using SpectralGate.Engine.Signatures;
using SpectralGate.Engine.Sources;
using SpectralGate.Tests.Support;
using TorchSharp;
using static SpectralGate.Tests.Support.TestSignatures;
using static TorchSharp.torch;

namespace SpectralGate.Engine.Tests.Reports;

/// <summary>A layer that moved is one first line (count and worst metric) with its details below, in every front end.</summary>
[NonParallelizable]
public class LayerHeadlineTests
{
    [Test]
    public void ALayerThatMovedIsOneLineNamingTheCountAndTheWorstMetric()
    {
        var baseline = Of(Layer("blocks.1.fc1.weight", [8, 8], ("stable_rank", 6.42), ("alpha", 3.0), ("spectral_norm", 2.0)),
            Layer("blocks.1.fc2.weight", [8, 8], ("stable_rank", 4.0)));
        var actual = Of(Layer("blocks.1.fc1.weight", [8, 8], ("stable_rank", 59.5), ("alpha", 3.6), ("spectral_norm", 2.0)),
            Layer("blocks.1.fc2.weight", [8, 8], ("stable_rank", 4.0)));
        var policy = new TolerancePolicy().For("*", 0, 0.02);

        string text = ComparisonTable.Render(SignatureComparer.Compare(baseline, actual, policy));

        // stable_rank: |59.5 - 6.42| / (0.02 * 6.42) = 53.08 / 0.1284 = 413.4x; alpha: 0.6 / 0.06 = 10x; spectral_norm unchanged.
        string[] firstLines = text.Split('\n').Where(l => l.StartsWith("  layer '", StringComparison.Ordinal)).ToArray();
        Assert.That(firstLines, Is.EqualTo(new[] { "  layer 'blocks.1.fc1.weight': 2 metrics beyond tolerance, worst stable_rank 6.42 -> 59.5, 413.4x over" }));
        Assert.That(text, Does.Contain("alpha").And.Contain("10.0x"), "the other metric is in the details below");
        Assert.That(text.IndexOf("alpha", StringComparison.Ordinal), Is.GreaterThan(text.IndexOf("worst stable_rank", StringComparison.Ordinal)));
    }

    [Test]
    public void AnUndefinedMetricIsTheWorstAndSaysSo()
    {
        var baseline = Of(Layer("w", [8, 8], ("condition_number", 12.0), ("stable_rank", 2.0)));
        var actual = Of(Layer("w", [8, 8], ("condition_number", null), ("stable_rank", 3.0)));

        var layer = LayerFindings.Of(SignatureComparer.Compare(baseline, actual)).Single();

        Assert.That(LayerHeadline.For(layer), Is.EqualTo("layer 'w': 2 metrics beyond tolerance, worst condition_number: metric became undefined"));
    }

    [Test]
    public void AReinitialisedLayerIsExactlyOneGateDiagnosticNamingItsWorstMetricAndRatio()
    {
        var trained = TinyModels.TrainedMlp;
        var broken = TinyModels.Copy(trained);
        using (no_grad())
        {
            torch.manual_seed(99);
            broken.named_parameters().Single(p => p.name == "fc2.weight").parameter.copy_(nn.Linear(96, 64).weight!);
        }
        string Save(torch.nn.Module m) => DeltaFixtures.Checkpoint(m.named_parameters().Select(p => (p.name, (Tensor)p.parameter)).ToArray());
        string before = Save(trained), after = Save(broken);
        string baselinePath = Path.Combine(TestPaths.NewScratchFolder(), "m.spectral.json");
        using (var source = ModelSources.Open(before))
            BaselineFile.Write(baselinePath, SpectralEngine.Compute(source), new TolerancePolicy());

        var result = GateCheck.Run(new GateRequest { ModelPath = after, BaselinePath = baselinePath, AcceptHint = "accept it" });

        var regressions = result.Diagnostics.Where(d => d.Code == GateCodes.Regression).ToList();
        var findings = result.Comparison!.Findings.Where(f => f.Kind == FindingKind.Regression).ToList();
        var worst = findings.MaxBy(f => f.Excess)!;
        Assert.Multiple(() =>
        {
            Assert.That(findings.Select(f => f.Layer).Distinct(), Is.EqualTo(new[] { "fc2.weight" }));
            Assert.That(findings, Has.Count.GreaterThan(1), "a re-initialised layer moves many metrics");
            Assert.That(regressions, Has.Count.EqualTo(1), "one SG1001 per layer, not per metric");
            Assert.That(regressions[0].Message, Does.StartWith($"layer 'fc2.weight': {findings.Count} metrics beyond tolerance, worst {worst.Metric} "));
            Assert.That(regressions[0].Message, Does.Contain(double.IsInfinity(worst.Excess) ? worst.Message : LayerHeadline.Over(worst.Excess) + " over"));
        });
    }
}
