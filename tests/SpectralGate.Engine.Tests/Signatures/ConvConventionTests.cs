using SpectralGate.Engine.Matrices;
using SpectralGate.Engine.Metrics;
using SpectralGate.Engine.Signatures;
using SpectralGate.Engine.Sources;
using SpectralGate.Engine.Sources.Safetensors;
using SpectralGate.Tests.Support;

namespace SpectralGate.Engine.Tests.Signatures;

/// <summary>WeightWatcher's conventions for convolutions: which ones are analysed (M·kernel positions ≥ 10) and conv2d_norm.</summary>
public class ConvConventionTests
{
    private static float[] Values(int count, double frequency) => Enumerable.Range(0, count).Select(i => (float)Math.Sin(frequency * i + 0.3 * i * i % 7)).ToArray();

    private static SpectralSignature Signature(SignatureOptions? options, params SafetensorsWriter.Tensor[] tensors)
    {
        using var source = new SafetensorsFileSource(SafetensorsFixtures.Write(tensors));
        return SpectralEngine.Compute(source, options);
    }

    [Test]
    public void ConvsAreAnalysedByTheirPooledEigenvalueCount()
    {
        var s = Signature(null,
            SafetensorsWriter.Float32("stem.weight", [64, 3, 7, 7], Values(64 * 3 * 49, 0.37)),
            SafetensorsWriter.Float32("depthwise.weight", [16, 1, 5, 5], Values(16 * 25, 0.53)),
            SafetensorsWriter.Float32("pointwise.weight", [16, 8, 1, 1], Values(128, 0.71)),
            SafetensorsWriter.Float32("fc.weight", [16, 12], Values(192, 0.29)));

        Assert.That(s.Layers.Select(l => l.Name), Is.EqualTo(new[] { "depthwise.weight", "fc.weight", "stem.weight" }));
        // 3 × 49 and 1 × 25 pooled eigenvalues, each matrix M = min(out, in) wide.
        Assert.That(s.Layer("stem.weight")![MetricNames.NumericalRank], Is.EqualTo(147));
        Assert.That(s.Layer("depthwise.weight")![MetricNames.NumericalRank], Is.EqualTo(25));
        Assert.That(s.Skipped.Select(k => (k.Name, k.Reason)), Is.EqualTo(new[]
        {
            ("pointwise.weight", "8 pooled eigenvalues (smaller side 8 x 1 kernel positions) is below the minimum 10"),
        }));
    }

    [Test]
    public void WeightWatcherConvNormHalvesConv2dEigenvaluesOnly()
    {
        var tensors = new[]
        {
            SafetensorsWriter.Float32("conv.weight", [32, 16, 3, 3], Values(32 * 16 * 9, 0.41)),
            SafetensorsWriter.Float32("fc.weight", [24, 16], Values(24 * 16, 0.23)),
        };
        var spectra = new Dictionary<string, double[]>();
        var normalisedSpectra = new Dictionary<string, double[]>();

        var plain = Signature(new SignatureOptions { SpectrumObserver = (n, ev) => spectra[n] = ev }, tensors);
        var normalised = Signature(new SignatureOptions
        {
            Matrices = new MatrixViewOptions { ConvNormalisation = ConvNormalisation.WeightWatcher },
            SpectrumObserver = (n, ev) => normalisedSpectra[n] = ev,
        }, tensors);

        Assert.That(normalisedSpectra["conv.weight"], Is.EqualTo(spectra["conv.weight"].Select(l => l / 2)));
        Assert.That(normalisedSpectra["fc.weight"], Is.EqualTo(spectra["fc.weight"]));
        var before = plain.Layer("conv.weight")!;
        var after = normalised.Layer("conv.weight")!;
        Assert.That(after[MetricNames.LogNorm], Is.EqualTo(before[MetricNames.LogNorm] - Math.Log10(2)).Within(1e-12));
        Assert.That(after[MetricNames.LogSpectralNorm], Is.EqualTo(before[MetricNames.LogSpectralNorm] - Math.Log10(2)).Within(1e-12));
        Assert.That(after[MetricNames.StableRank], Is.EqualTo(before[MetricNames.StableRank]).Within(1e-12));
        Assert.That(normalised.Settings["conv_normalisation"], Is.EqualTo("weightwatcher"));
        Assert.That(plain.Settings.ContainsKey("conv_normalisation"), Is.False);
    }
}
