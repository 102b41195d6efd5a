using SpectralGate.Engine.Metrics;
using SpectralGate.Engine.Probes;

namespace SpectralGate.Engine.Baselines;

/// <summary>
/// Default tolerance per metric (documented in docs/tolerances.md). Norms are stable to a fraction of a percent under
/// re-runs and thread counts, so they are tight; the power-law fit moves with a few eigenvalues near xmin, so alpha
/// gets ±0.1 + 5%; discrete quantities (xmin, tail size, spikes) get room for one or two steps.
/// </summary>
public static class ToleranceDefaults
{
    private static readonly IReadOnlyDictionary<string, Tolerance> Defaults = new Dictionary<string, Tolerance>(StringComparer.Ordinal)
    {
        [MetricNames.SpectralNorm] = new(1e-9, 0.01),
        [MetricNames.FrobeniusNorm] = new(1e-9, 0.01),
        // The update since the previous record: a difference of two nearby matrices, so relatively noisier than the norms themselves.
        [MetricNames.UpdateSpectralNorm] = new(1e-9, 0.1),
        [MetricNames.UpdateFrobeniusNorm] = new(1e-9, 0.1),
        [MetricNames.LogSpectralNorm] = new(0.01, 0),
        [MetricNames.LogNorm] = new(0.01, 0),
        [MetricNames.StableRank] = new(0, 0.02),
        [MetricNames.EffectiveRank] = new(0, 0.02),
        [MetricNames.NumericalRank] = new(0, 0),
        [MetricNames.SpectralEntropy] = new(0.01, 0),
        [MetricNames.ConditionNumber] = new(0, 0.1),
        [MetricNames.Alpha] = new(0.1, 0.05),
        [MetricNames.AlphaFarms] = new(0.1, 0.05),
        [MetricNames.AlphaWeighted] = new(0.1, 0.05),
        [MetricNames.AlphaStdErr] = new(0.05, 0.25),
        [MetricNames.Xmin] = new(0, 0.5),
        [MetricNames.KsDistance] = new(0.05, 0),
        [MetricNames.NumTail] = new(2, 0.25),
        [MetricNames.MpSigma] = new(0, 0.02),
        [MetricNames.MpBulkMax] = new(0, 0.05),
        [MetricNames.NumSpikes] = new(1, 0),
        [MetricNames.MpSoftRank] = new(0.05, 0),
        [MetricNames.EsdDistance] = new(0.01, 0), // 11x the largest distance 1e-4 noise gave; measured in docs/tolerances.md
        // The shuffle is fixed by the layer name, but a permuted layer shuffles to another draw: room for its noise.
        [CorrelationTraps.RandDistance] = new(0.05, 0),
        [CorrelationTraps.NumRandSpikes] = new(1, 0),
        // Mixers (probe:mixer/...): sums and distances near 0 in float32 models move by rounding (~1e-7), so an absolute
        // floor; norms and gains like the weights' spectral norm; routing entropy is in [0, 1] like spectral_entropy.
        [ProbeMetricNames.RowSumError] = new(1e-6, 0.01),
        [ProbeMetricNames.RowSumErrorMean] = new(1e-6, 0.01),
        [ProbeMetricNames.ColumnSumError] = new(1e-6, 0.01),
        [ProbeMetricNames.ColumnSumErrorMean] = new(1e-6, 0.01),
        [ProbeMetricNames.MinEntry] = new(1e-6, 0.01),
        [ProbeMetricNames.OrthogonalityError] = new(1e-6, 0.01),
        [ProbeMetricNames.IdentityDistance] = new(1e-6, 0.01),
        [ProbeMetricNames.SpectralNormMean] = new(1e-9, 0.01),
        [ProbeMetricNames.SpectralNormP50] = new(1e-9, 0.01),
        [ProbeMetricNames.SpectralNormP95] = new(1e-9, 0.01),
        [ProbeMetricNames.CompositeGain] = new(1e-9, 0.01),
        [ProbeMetricNames.CompositeGainP50] = new(1e-9, 0.01),
        [ProbeMetricNames.CompositeGainP95] = new(1e-9, 0.01),
        [ProbeMetricNames.RoutingEntropy] = new(0.01, 0),
        [ProbeMetricNames.RoutingEntropyMin] = new(0.01, 0),
    };

    /// <summary>For metrics not listed: 1% relative.</summary>
    public static readonly Tolerance Fallback = new(1e-12, 0.01);

    public static Tolerance For(string metric) => Defaults.TryGetValue(metric, out var t) ? t : Fallback;

    public static IReadOnlyDictionary<string, Tolerance> All => Defaults;
}
