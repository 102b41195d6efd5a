using SpectralGate.Engine.Matrices;
using SpectralGate.Engine.Metrics;
using SpectralGate.Engine.Probes;
using SpectralGate.Engine.Signatures;
using SpectralGate.Engine.Sources.Safetensors;
using SpectralGate.Engine.Sources.TorchSharp;
using SpectralGate.Tests.Support;
using TorchSharp;
using static TorchSharp.torch;

namespace SpectralGate.Engine.Tests.Probes;

/// <summary>The probes' one-call forms: recurrence layers from a named module, mixer metrics of a tensor, a model saved as safetensors.</summary>
public class ProbeOneLinerTests
{
    [Test]
    public void RecurrenceProbeReadsTheNamedModulesOutputAsDiagonalTransitions()
    {
        // The decay module passes its input through, so the transitions are the batch: steps [0.5, -0.9] and [0.2, 0.99].
        using var model = nn.Sequential(("decay", nn.Identity()));
        using var batch = tensor(new float[] { 0.5f, -0.9f, 0.2f, 0.99f }, [1, 2, 2]);

        var layer = RecurrenceProbe.Capture(model, batch, "decay").Single();

        Assert.Multiple(() =>
        {
            Assert.That(layer.Name, Is.EqualTo("probe:recurrence/decay"));
            Assert.That(layer.Kind, Is.EqualTo(LayerKind.Recurrence));
            Assert.That(layer.Shape, Is.EqualTo(new long[] { 2, 2 }));
            Assert.That(layer[ProbeMetricNames.TransitionMinEigenvalue], Is.EqualTo(-0.9).Within(1e-7));
            Assert.That(layer[ProbeMetricNames.TransitionMaxEigenvalue], Is.EqualTo(0.99).Within(1e-7));
            Assert.That(layer[ProbeMetricNames.NegativeEigenvalueShare], Is.EqualTo(0.25));
            Assert.That(layer[ProbeMetricNames.SpectralRadius], Is.EqualTo(0.99).Within(1e-7));
            Assert.That(layer[ProbeMetricNames.MaxStepSpectralNorm], Is.EqualTo(0.99).Within(1e-7));
            Assert.That(layer.Metrics.Keys, Is.EquivalentTo(ProbeLayerKinds.MetricsOf(LayerKind.Recurrence)));
        });
    }

    [Test]
    public void RecurrenceProbeNamesTheModulesAModelHasWhenOneIsMissing()
    {
        using var model = nn.Sequential(("decay", nn.Identity()));
        using var batch = ones(1, 2, 2);

        var error = Assert.Throws<ArgumentException>(() => RecurrenceProbe.Capture(model, batch, "dacay"));

        Assert.That(error!.Message, Does.Contain("no module 'dacay'").And.Contain("decay"));
    }

    [Test]
    public void MixerMetricsOfATensorAreThoseOfItsValuesWithTheSpectralNormComputed()
    {
        // A 3-cycle: doubly stochastic and orthogonal, ‖P − I‖_F² = 6 (three off-diagonal ones, three diagonal −1s), σ_max = 1.
        using var cycle = tensor(new double[] { 0, 1, 0, 0, 0, 1, 1, 0, 0 }, [3, 3]);
        // The uniform 2 × 2 average: doubly stochastic, a projection (MᵀM = M), ‖M − I‖_F = 1, σ_max = 1.
        using var average = full(2, 2, 0.5f);

        var layer = MixerMetrics.Layer("blocks.0", cycle);
        var uniform = MixerMetrics.Of(average);

        Assert.Multiple(() =>
        {
            Assert.That(layer.Name, Is.EqualTo("probe:mixer/blocks.0"));
            Assert.That(layer.Kind, Is.EqualTo(LayerKind.Mixer));
            Assert.That(layer[MetricNames.SpectralNorm], Is.EqualTo(1).Within(1e-12));
            Assert.That(layer[ProbeMetricNames.RowSumError], Is.EqualTo(0));
            Assert.That(layer[ProbeMetricNames.OrthogonalityError], Is.EqualTo(0));
            Assert.That(layer[ProbeMetricNames.IdentityDistance], Is.EqualTo(Math.Sqrt(6)).Within(1e-12));
            // One matrix carries the per-matrix metrics of the kind; MixerProbe adds the distributions over tokens and depth.
            Assert.That(layer.Metrics.Keys, Is.SubsetOf(ProbeLayerKinds.MetricsOf(LayerKind.Mixer)));
            Assert.That(layer.Metrics, Has.Count.EqualTo(6));
            Assert.That(uniform[MetricNames.SpectralNorm], Is.EqualTo(1).Within(1e-7));
            Assert.That(uniform[ProbeMetricNames.IdentityDistance], Is.EqualTo(1).Within(1e-7));
            Assert.That(uniform[ProbeMetricNames.OrthogonalityError], Is.EqualTo(1).Within(1e-7), "‖M − I‖_F for a projection M");
            Assert.That(MixerMetrics.ProductUniformDistance([average, average]), Is.EqualTo(0).Within(1e-7));
        });
    }

    [Test]
    public void MixerMetricsRefuseANonSquareTensor()
    {
        using var wide = ones(2, 3);

        Assert.That(() => MixerMetrics.Of(wide), Throws.ArgumentException.With.Message.Contains("[2, 3]"));
    }

    [Test]
    public void AModelSavedWithSafetensorsWriterHasTheSignatureOfTheLiveModel()
    {
        torch.manual_seed(5);
        using var model = nn.Sequential(("fc1", nn.Linear(32, 24)), ("act", nn.Tanh()), ("fc2", nn.Linear(24, 16)));
        string path = Path.Combine(TestPaths.NewScratchFolder(), "model.safetensors");
        var options = new SignatureOptions { Farms = false };

        SafetensorsWriter.Write(path, model);

        using var file = new SafetensorsFileSource(path);
        var saved = SpectralEngine.Compute(file, options);
        var live = SpectralEngine.Compute(new ModuleSource(model), options);
        Assert.That(saved.Layers.Select(l => (l.Name, l.Metrics)), Is.EqualTo(live.Layers.Select(l => (l.Name, l.Metrics))));
        Assert.That(file.Tensors.Select(t => t.Name), Is.EquivalentTo(model.named_parameters().Select(p => p.name)));
    }
}
