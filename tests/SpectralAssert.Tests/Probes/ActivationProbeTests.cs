using SpectralAssert.Assertions;
using SpectralGate.Engine.Metrics;
using SpectralGate.Engine.Probes;
using SpectralGate.Engine.Signatures;
using SpectralGate.Engine.Sources.TorchSharp;
using SpectralGate.Tests.Support;
using TorchSharp;
using static TorchSharp.torch;

namespace SpectralAssert.Tests.Probes;

public class ActivationProbeTests
{
    [Test]
    public void MergedBatchesGiveTheCovarianceOfTheirConcatenation()
    {
        var g = new Generator(3);
        var a = randn(50, 6, dtype: ScalarType.Float64, generator: g) * 2 + 1;
        var b = randn(70, 6, dtype: ScalarType.Float64, generator: g) - 3;
        using var streaming = new StreamingCovariance();
        streaming.Add(a);
        streaming.Add(b.reshape(7, 10, 6)); // [batch, seq, d] flattens to tokens × d

        var all = cat([a, b]);
        var centred = all - all.mean([0]);
        var expected = centred.t().matmul(centred) / (all.shape[0] - 1);

        Assert.That(streaming.Count, Is.EqualTo(120));
        Assert.That((streaming.Covariance() - expected).abs().max().item<double>(), Is.LessThan(1e-12));
    }

    [Test]
    public void IsotropicActivationsHaveFullParticipationAndNoEnrichment()
    {
        // Isotropic Gaussian activations: the covariance tends to I, so PR → d, EEE → 0 and SE → ln d.
        var x = randn(20000, 16, dtype: ScalarType.Float64, generator: new Generator(5));
        using var streaming = new StreamingCovariance();
        streaming.Add(x);
        double[] lambda = streaming.Eigenvalues();

        Assert.That(ActivationSpectrumMetrics.ParticipationRatio(lambda), Is.EqualTo(16).Within(2).Percent);
        Assert.That(ActivationSpectrumMetrics.EarlyEnrichment(lambda), Is.LessThan(0.03));
        Assert.That(ActivationSpectrumMetrics.SpectralEntropy(lambda), Is.EqualTo(Math.Log(16)).Within(0.1).Percent);
    }

    [Test]
    public void HooksCaptureATrainedModelsActivationsAsProbeLayers()
    {
        var model = TinyModels.TrainedMlp;
        var batches = Enumerable.Range(0, 4).Select(i => randn(256, 32, generator: new Generator((ulong)i))).ToList();

        SpectralSignature signature;
        using (var probe = new ActivationProbe(model, ["fc1", "act1"]))
        {
            using (no_grad()) foreach (var x in batches) model.forward(x);
            Assert.That(probe.Tokens("fc1"), Is.EqualTo(1024));
            signature = SpectralEngine.Compute(new ModuleSource(model)).WithProbes(probe.Layers([("fc1", "act1")]));
        }
        using (no_grad()) model.forward(batches[0]); // hooks are gone after Dispose: nothing throws, nothing is captured

        var post = signature.Layer("probe:activations/act1")!;
        Assert.Multiple(() =>
        {
            Assert.That(post.Shape, Is.EqualTo(new long[] { 96, 96 }));
            Assert.That(post[ProbeMetricNames.JsDivergence], Is.GreaterThan(0).And.LessThan(Math.Log(2)));
            Assert.That(post[ProbeMetricNames.PrGain], Is.Not.Null);
            Assert.That(post.Kind, Is.EqualTo(SpectralGate.Engine.Matrices.LayerKind.Activation));
            Assert.That(post.Metrics.Keys, Is.SubsetOf(ProbeLayerKinds.MetricsOf(post.Kind)), "a probe layer carries its kind's metrics only");
        });
        Assert.That(signature, Spectrum.Layers("probe:activations/*").Metric(ProbeMetricNames.ParticipationRatio).InRange(1, 96));
        Assert.That(signature, Spectrum.Layers("probe:activations/*").Metric(ProbeMetricNames.Eee).InRange(0, 1));
    }

    [Test]
    public void AnUnknownModuleNameIsAClearError()
    {
        var e = Assert.Throws<ArgumentException>(() => new ActivationProbe(TinyModels.TrainedMlp, ["decoder"]));
        Assert.That(e!.Message, Does.Contain("decoder").And.Contain("fc1"));
    }
}
