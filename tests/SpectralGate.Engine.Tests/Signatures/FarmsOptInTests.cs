using SpectralGate.Tests.Support;
using SpectralGate.Engine.Metrics;
using SpectralGate.Engine.Signatures;
using SpectralGate.Engine.Sources.Safetensors;
using SpectralGate.Engine.Spectra;
using SpectralGate.Engine.Tests.Spectra;
using static TorchSharp.torch;

namespace SpectralGate.Engine.Tests.Signatures;

/// <summary>
/// alpha_farms is opt-in (issue 15: its window spectra cost more than the rest of a signature): off by default and
/// recorded as <c>"farms": "off"</c>; with <see cref="SignatureOptions.Farms"/> every dense layer gets it, the settings
/// name the windows, and no other metric moves.
/// </summary>
public class FarmsOptInTests
{
    private static readonly float[] Weights = PlantedWeights();

    private static float[] PlantedWeights()
    {
        using var w = PlantedSpectra.Matrix(PlantedSpectra.PowerLaw(256, alpha: 2.5, xmin: 1), rows: 384, seed: 5);
        return w.data<float>().ToArray();
    }

    private static SpectralSignature Signature(SignatureOptions options)
    {
        using var source = new SafetensorsFileSource(SafetensorsFixtures.Write(SafetensorsWriter.Float32("fc.weight", [384, 256], Weights)));
        return SpectralEngine.Compute(source, options);
    }

    [Test]
    public void TheDefaultSignatureHasNoAlphaFarmsAndSaysSo()
    {
        var signature = Signature(new SignatureOptions());

        Assert.That(signature.Settings["farms"], Is.EqualTo("off"));
        Assert.That(signature.Layers.Single().Metrics.Keys, Does.Not.Contain(MetricNames.AlphaFarms));
    }

    [Test]
    public void FarmsOnAddsThePooledWindowAlphaAndChangesNothingElse()
    {
        var off = Signature(new SignatureOptions());
        var on = Signature(new SignatureOptions { Farms = true });

        using var w = tensor(Weights, [384, 256]).to(ScalarType.Float64);
        double expected = PowerLawFit.Fit(FarmsSpectrum.Eigenvalues(w, new FarmsOptions()))!.Alpha;
        var layer = on.Layers.Single();
        Assert.That(on.Settings["farms"], Is.EqualTo("window=128,per_dim=8"));
        Assert.That(layer.Metrics[MetricNames.AlphaFarms], Is.EqualTo(expected));
        Assert.That(layer.Metrics.Where(m => m.Key != MetricNames.AlphaFarms), Is.EquivalentTo(off.Layers.Single().Metrics));
    }
}
