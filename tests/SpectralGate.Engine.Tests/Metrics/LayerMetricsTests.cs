using SpectralGate.Engine.Metrics;
using SpectralGate.Engine.Spectra;
using SpectralGate.Engine.Tests.Spectra;

namespace SpectralGate.Engine.Tests.Metrics;

/// <summary>The metrics stage alone: a layer's metrics from spectra given by hand, by their kind.</summary>
public class LayerMetricsTests
{
    /// <summary>λ = 16, 9, 4, 1 (four times each): σ_max / σ_min = 4.</summary>
    private static readonly double[] Steps = [16, 16, 16, 16, 9, 9, 9, 9, 4, 4, 4, 4, 1, 1, 1, 1];

    private static SpectrumMetricsResult Of(params LayerSpectrum[] spectra) =>
        LayerMetrics.Compute(spectra, largerSide: 32, smallerSide: 16, new MetricOptions(), float32: false);

    [Test]
    public void AnExactSpectrumGivesEveryMetricOfItsOwnEigenvalues()
    {
        var metrics = Of(new LayerSpectrum(SpectrumKind.Exact, Steps)).Values;

        Assert.That(metrics[MetricNames.ConditionNumber], Is.EqualTo(4).Within(1e-12));
        Assert.That(metrics[MetricNames.StableRank], Is.EqualTo(120.0 / 16).Within(1e-12));
        Assert.That(metrics.ContainsKey(MetricNames.AlphaFarms), Is.False);
    }

    [Test]
    public void ASketchHasNoConditionNumberAndOtherwiseTheSameMetrics()
    {
        var exact = Of(new LayerSpectrum(SpectrumKind.Exact, Steps)).Values;
        var sketched = Of(new LayerSpectrum(SpectrumKind.Sketched, Steps)).Values;

        Assert.That(sketched[MetricNames.ConditionNumber], Is.Null);
        Assert.That(sketched.Where(m => m.Key != MetricNames.ConditionNumber), Is.EqualTo(exact.Where(m => m.Key != MetricNames.ConditionNumber)));
    }

    [Test]
    public void FarmsAlphaIsAlphasFitOnTheWindowsSpectrum()
    {
        double[] planted = PlantedSpectra.PowerLaw(400, alpha: 3, xmin: 1);

        var metrics = Of(new LayerSpectrum(SpectrumKind.Exact, Steps), new LayerSpectrum(SpectrumKind.FarmsWindows, planted)).Values;
        var onPlanted = Of(new LayerSpectrum(SpectrumKind.Exact, planted)).Values;

        Assert.That(metrics[MetricNames.AlphaFarms], Is.EqualTo(onPlanted[MetricNames.Alpha]));
        Assert.That(metrics[MetricNames.AlphaFarms], Is.EqualTo(3).Within(0.3));
    }
}
