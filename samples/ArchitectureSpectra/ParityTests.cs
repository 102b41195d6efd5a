using SpectralAssert.Assertions;
using SpectralGate.Engine.Matrices;
using SpectralGate.Engine.Metrics;
using SpectralGate.Engine.Probes;
using SpectralGate.Engine.Signatures;
using SpectralGate.Engine.Sources.TorchSharp;
using TorchSharp;
using static TorchSharp.torch;

namespace ArchitectureSpectra;

public class ParityTests
{
    private static SpectralSignature WithTransitions(nn.Module model, Func<Tensor, Tensor> decays)
    {
        using var _ = no_grad();
        var bits = randint(0, 2, [256, 6], generator: new Generator(9)).to(ScalarType.Float32);
        var a = decays(bits).reshape(-1, 8).to(ScalarType.Float64);
        var steps = Enumerable.Range(0, (int)a.shape[0]).Select(i => a[i].data<double>().ToArray()).ToArray();
        var probe = new LayerSignature { Name = "probe:recurrence/cell", Shape = [8, 8], Kind = LayerKind.Recurrence, Metrics = TransitionSpectrum.OfDiagonal(steps), Labels = [] };
        return SpectralEngine.Compute(new ModuleSource(model)).WithProbes([probe]);
    }

    [Test]
    public void PositiveDecaysStayInZeroOneAndCannotLearnParity()
    {
        var model = new PositiveDecayRnn();
        double accuracy = ParityWeights.Load(model, "parity-rnn-positive.torchsharp.dat");
        var signature = WithTransitions(model, model.Decays);
        TestContext.Out.WriteLine($"(0,1) decays: accuracy {accuracy:P1}, eigenvalues in [{signature.Layer("probe:recurrence/cell")![ProbeMetricNames.TransitionMinEigenvalue]:0.###}, {signature.Layer("probe:recurrence/cell")![ProbeMetricNames.TransitionMaxEigenvalue]:0.###}]");

        Assert.That(signature, Spectrum.Layers("probe:recurrence/*").Metric(ProbeMetricNames.TransitionMinEigenvalue).GreaterThan(0));
        Assert.That(accuracy, Is.LessThan(0.75));
    }

    [Test]
    public void SignedDecaysGoNegativeAndLearnParity()
    {
        var model = new SignedDecayRnn();
        double accuracy = ParityWeights.Load(model, "parity-rnn-signed.torchsharp.dat");
        var signature = WithTransitions(model, model.Decays);
        TestContext.Out.WriteLine($"(-1,1) decays: accuracy {accuracy:P1}, negative share {signature.Layer("probe:recurrence/cell")![ProbeMetricNames.NegativeEigenvalueShare]:P0}");

        Assert.That(signature, Spectrum.Layers("probe:recurrence/*").Metric(ProbeMetricNames.NegativeEigenvalueShare).GreaterThan(0));
        Assert.That(accuracy, Is.GreaterThan(0.95));
    }
}
