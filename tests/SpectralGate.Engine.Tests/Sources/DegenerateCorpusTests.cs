using System.Diagnostics;
using SpectralGate.Engine.Metrics;
using SpectralGate.Engine.Signatures;
using SpectralGate.Engine.Sources;
using SpectralGate.Engine.Spectra;

namespace SpectralGate.Engine.Tests.Sources;

/// <summary>
/// The committed degenerate corpus (Fixtures/degenerate, written by make_corpus.py): well-formed files whose weights are
/// NaN, Inf, all zero, rank one, 1-D or empty. Each reader gives a signature with labels and skip reasons, not an error,
/// in exact and sketched mode.
/// </summary>
public class DegenerateCorpusTests
{
    /// <summary>libtorch's first eigensolver call loads its kernels; the one-second bound is for the files, not for that.</summary>
    [OneTimeSetUp]
    public void WarmUp()
    {
        using var warm = TorchSharp.torch.linalg.eigvalsh(TorchSharp.torch.eye(16, dtype: TorchSharp.torch.ScalarType.Float64));
    }

    [TestCase("weights.safetensors", false)]
    [TestCase("weights.onnx", false)]
    [TestCase("weights.dat", false)]
    [TestCase("weights.safetensors", true)]
    public void DegenerateWeightsAreLabelledNotFatal(string file, bool sketched)
    {
        string path = Path.Combine(AppContext.BaseDirectory, "Fixtures", "degenerate", file);
        var clock = Stopwatch.StartNew();
        using var source = ModelSources.Open(path);
        var s = SpectralEngine.Compute(source, new SignatureOptions { Sketch = sketched ? new SketchOptions() : null });

        Assert.Multiple(() =>
        {
            Assert.That(clock.Elapsed, Is.LessThan(TimeSpan.FromSeconds(1)));
            Assert.That(s.Layer("nan.weight")!.Labels, Is.EqualTo(new[] { HealthLabels.NonFinite }));
            Assert.That(s.Layer("inf.weight")!.Labels, Is.EqualTo(new[] { HealthLabels.NonFinite }));
            Assert.That(s.Layer("zero.weight")!.Labels, Is.EqualTo(new[] { HealthLabels.Degenerate }));
            Assert.That(s.Layer("zero.weight")![MetricNames.NumericalRank], Is.Zero);
            // rank1 = u·vᵀ: one nonzero singular value, so numerical and stable rank are exactly 1.
            Assert.That(s.Layer("rank1.weight")![MetricNames.NumericalRank], Is.EqualTo(1));
            Assert.That(s.Layer("rank1.weight")![MetricNames.StableRank], Is.EqualTo(1).Within(1e-6));
            Assert.That(s.Layer("ok.weight")![MetricNames.SpectralNorm], Is.GreaterThan(0));
            Assert.That(s.Skipped.Select(k => (k.Name, k.Reason)), Is.EquivalentTo(new[] { ("bias", "1-D tensor"), ("empty.weight", "empty tensor") }));
        });
    }
}
