using NUnit.Framework.Constraints;
using NUnit.Framework.Internal;
using SpectralAssert.Assertions;
using SpectralGate.Engine.Baselines;
using SpectralGate.Engine.Probes;
using SpectralGate.Engine.Signatures;
using SpectralGate.Engine.Sources.TorchSharp;
using SpectralGate.Tests.Support;
using static SpectralGate.Tests.Support.PlantedMixers;

namespace SpectralAssert.Tests.Probes;

/// <summary>
/// Mixer probe layers in the product's assertions and baselines: planted mHC-style mixers (doubly stochastic, composite
/// gain 1) against HC-style ones with rows summing to 1.2 (gain 1.2^l), on the weights of the shared trained MLP.
/// </summary>
public class MixerProbeAssertionTests
{
    private static SpectralSignature WithMixers(double rowSum)
    {
        using var model = HyperConnections(rowSum);
        using var tokens = Tokens(8);
        var layers = MixerProbe.Capture(model, tokens, model.Names);
        return SpectralEngine.Compute(new ModuleSource(TinyModels.TrainedMlp)).WithProbes(layers);
    }

    private static string Message(ConstraintResult result)
    {
        var writer = new TextMessageWriter();
        result.WriteMessageTo(writer);
        return writer.ToString();
    }

    [Test]
    public void TheConstraintsBoundTheCompositeGainAndTheDeviationFromDoublyStochastic()
    {
        var constrained = WithMixers(1);
        var unconstrained = WithMixers(1.2);
        var bounded = Spectrum.Layers("probe:mixer/**").Metric(ProbeMetricNames.CompositeGain).AtMost(1 + 1e-9);

        Assert.That(constrained, bounded);
        Assert.That(constrained, Spectrum.Layers("probe:mixer/**").Metric(ProbeMetricNames.RowSumError).AtMost(1e-12));
        Assert.That(constrained, Spectrum.Layers("probe:mixer/**").Metric(ProbeMetricNames.RoutingEntropyMin).GreaterThan(0));
        var result = bounded.ApplyTo(unconstrained);
        Assert.That(result.IsSuccess, Is.False);
        // 1.2^1 .. 1.2^6 all exceed 1: every mixer layer fails; the message names the deepest with its gain 1.2^6 = 2.985984.
        Assert.That(Message(result), Does.Contain("6 of 6 selected layers fail").And.Contain("probe:mixer/blocks.5").And.Contain("2.98598"));
    }

    [Test]
    public void MixerLayersRoundTripThroughABaselineAndAGrowingGainIsARegression()
    {
        var constrained = WithMixers(1);
        string path = Path.Combine(TestPaths.NewScratchFolder(), "mixers.spectral.verified.json");

        BaselineFile.Write(path, constrained, new TolerancePolicy());
        var (baseline, _) = BaselineFile.Read(path);
        var again = SignatureComparer.Compare(baseline, WithMixers(1));
        var grown = SignatureComparer.Compare(baseline, WithMixers(1.2));

        Assert.Multiple(() =>
        {
            var mixer = baseline.Layer("probe:mixer/blocks.3")!;
            Assert.That(mixer.Kind, Is.EqualTo(SpectralGate.Engine.Matrices.LayerKind.Mixer));
            // The file rounds to 10 significant digits (Signatures/CanonicalNumber).
            foreach (var (metric, value) in constrained.Layer("probe:mixer/blocks.3")!.Metrics)
                Assert.That(mixer[metric], Is.EqualTo(value).Within(1e-7).Percent, metric);
            Assert.That(mixer.Metrics.Keys, Is.EquivalentTo(ProbeLayerKinds.MetricsOf(mixer.Kind)));
            Assert.That(again.IsMatch, Is.True, again.Summary);
            Assert.That(grown.Findings.Where(f => f.Metric == ProbeMetricNames.CompositeGain).Select(f => f.Layer),
                Is.EquivalentTo(Enumerable.Range(0, 6).Select(l => $"probe:mixer/blocks.{l}")));
            Assert.That(grown.Findings.Any(f => f.Metric == ProbeMetricNames.RoutingEntropy), Is.False, "scaling every entry leaves the row distributions alone");
        });
    }
}
