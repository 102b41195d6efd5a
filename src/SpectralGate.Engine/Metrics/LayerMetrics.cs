using SpectralGate.Engine.Spectra;

namespace SpectralGate.Engine.Metrics;

/// <summary>
/// The metrics stage: a layer's metrics from its spectra. Everything comes from the layer's own spectrum, except what
/// its kind cannot support (σ_min of a sketch: the lowest Ritz value only bounds it, docs/scale.md) and
/// <c>alpha_farms</c>, the same power-law fit as alpha on the FARMS windows' spectrum.
/// </summary>
public static class LayerMetrics
{
    /// <param name="spectra">The layer's spectrum (exact or sketched) and at most one <see cref="SpectrumKind.FarmsWindows"/> spectrum.</param>
    /// <param name="largerSide">N, the larger side of each matrix.</param>
    /// <param name="smallerSide">M, the smaller side.</param>
    /// <param name="options">The power-law and rank conventions.</param>
    /// <param name="float32">True when the spectra were computed in float32 (<see cref="SpectrumMetrics.Float32Undefined"/>).</param>
    public static SpectrumMetricsResult Compute(IReadOnlyList<LayerSpectrum> spectra, int largerSide, int smallerSide, MetricOptions options, bool float32)
    {
        LayerSpectrum layer = spectra.Single(s => s.Kind != SpectrumKind.FarmsWindows);
        var metrics = SpectrumMetrics.Compute(layer.Eigenvalues, largerSide, smallerSide, options, float32);
        var values = new SortedDictionary<string, double?>(metrics.Values, StringComparer.Ordinal);
        if (layer.Kind == SpectrumKind.Sketched) values[MetricNames.ConditionNumber] = null;
        if (spectra.SingleOrDefault(s => s.Kind == SpectrumKind.FarmsWindows) is { } farms)
            values[MetricNames.AlphaFarms] = PowerLawFit.Fit(farms.Eigenvalues, options.PowerLaw)?.Alpha;
        return new SpectrumMetricsResult(values, metrics.Labels);
    }
}
