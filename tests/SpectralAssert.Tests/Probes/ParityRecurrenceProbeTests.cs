using SpectralAssert.Assertions;
using SampleModels;
using SpectralGate.Engine.Baselines;
using SpectralGate.Engine.Metrics;
using SpectralGate.Engine.Probes;
using SpectralGate.Engine.Signatures;
using SpectralGate.Engine.Sources.TorchSharp;
using SpectralGate.Tests.Support;
using TorchSharp;
using static TorchSharp.torch;

namespace SpectralAssert.Tests.Probes;

/// <summary>
/// Grazzi et al.'s prediction on two linear RNNs trained on parity (once, by samples/SampleModels, into
/// samples/models): decays in (0, 1) have no negative eigenvalue and cannot learn parity; decays in (−1, 1) can, and
/// the probe shows the negative eigenvalues.
/// </summary>
[NonParallelizable]
public class ParityRecurrenceProbeTests
{
    private static readonly Lazy<(ParityRnn Model, double Accuracy)> Positive = new(() => Trained(signed: false));
    private static readonly Lazy<(ParityRnn Model, double Accuracy)> Signed = new(() => Trained(signed: true));

    private static (ParityRnn Model, double Accuracy) Trained(bool signed)
    {
        var model = ParityRnn.Load(Path.Combine(TestPaths.RepositoryRoot, "samples", "models", ParityRnn.FileName(signed)), signed);
        return (model, ParityRnn.Accuracy(model, length: 6, new Generator(2)));
    }

    private static SpectralSignature WithRecurrenceProbe(ParityRnn model)
    {
        using var scope = NewDisposeScope();
        var bits = randint(0, 2, [256, 6], generator: new Generator(9)).to(ScalarType.Float32);
        return SpectralEngine.Compute(new ModuleSource(model)).WithProbes(RecurrenceProbe.Capture(model, bits, "decay"));
    }

    [Test]
    public void DecaysInZeroOneHaveNoNegativeEigenvalueAndDoNotLearnParity()
    {
        var (model, accuracy) = Positive.Value;
        var signature = WithRecurrenceProbe(model);
        TestContext.Out.WriteLine($"(0,1) decays: parity accuracy {accuracy:P1}");

        Assert.That(signature, Spectrum.Layers("probe:recurrence/*").Metric(ProbeMetricNames.NegativeEigenvalueShare).EqualTo(0, 0));
        Assert.That(signature, Spectrum.Layers("probe:recurrence/*").Metric(ProbeMetricNames.TransitionMinEigenvalue).GreaterThan(0));
        Assert.That(accuracy, Is.LessThan(0.75), "a positive-only linear RNN stays near chance on parity");
    }

    [Test]
    public void SignedDecaysGoNegativeAndLearnParity()
    {
        var (model, accuracy) = Signed.Value;
        var signature = WithRecurrenceProbe(model);
        TestContext.Out.WriteLine($"(-1,1) decays: parity accuracy {accuracy:P1}, negative share {signature.Layer("probe:recurrence/decay")![ProbeMetricNames.NegativeEigenvalueShare]}");

        Assert.That(signature, Spectrum.Layers("probe:recurrence/*").Metric(ProbeMetricNames.NegativeEigenvalueShare).GreaterThan(0));
        Assert.That(accuracy, Is.GreaterThan(0.95));
    }

    [Test]
    public void ProbeSectionsGoThroughBaselinesLikeWeightLayers()
    {
        var signature = WithRecurrenceProbe(Signed.Value.Model);
        string path = Path.Combine(TestPaths.NewScratchFolder(), "rnn.spectral.json");
        BaselineFile.Write(path, signature, new TolerancePolicy());

        var (read, _) = BaselineFile.Read(path);
        var againstPositive = SignatureComparer.Compare(read, WithRecurrenceProbe(Positive.Value.Model));

        Assert.That(SignatureComparer.Compare(read, signature).IsMatch, Is.True);
        Assert.That(againstPositive.Findings.Select(f => (f.Layer, f.Metric)), Does.Contain(("probe:recurrence/decay", ProbeMetricNames.NegativeEigenvalueShare)));
    }
}
