using SpectralGate.Engine.Matrices;
using SpectralGate.Engine.Metrics;

namespace SpectralGate.Engine.Probes;

/// <summary>
/// The metrics each probe kind carries, and only those: a probe layer describes activations, a Hessian, transitions
/// or a mixer, never a weight's ESD, so alpha, ranks and health labels do not apply (docs/layer-kinds.md).
/// </summary>
public static class ProbeLayerKinds
{
    public static IReadOnlyList<string> MetricsOf(LayerKind kind) => kind switch
    {
        LayerKind.Activation =>
        [
            ProbeMetricNames.ActivationEntropy, ProbeMetricNames.ParticipationRatio, ProbeMetricNames.Eee, ProbeMetricNames.AlphaReq,
            ProbeMetricNames.JsDivergence, ProbeMetricNames.PrGain,
        ],
        LayerKind.Hessian => [ProbeMetricNames.HessianTopEigenvalue, ProbeMetricNames.HessianTrace],
        LayerKind.Recurrence =>
        [
            ProbeMetricNames.TransitionMinEigenvalue, ProbeMetricNames.TransitionMaxEigenvalue, ProbeMetricNames.NegativeEigenvalueShare,
            ProbeMetricNames.SpectralRadius, ProbeMetricNames.MaxStepSpectralNorm,
        ],
        LayerKind.Mixer =>
        [
            ProbeMetricNames.RowSumError, ProbeMetricNames.ColumnSumError, ProbeMetricNames.MinEntry, MetricNames.SpectralNorm,
            ProbeMetricNames.OrthogonalityError, ProbeMetricNames.IdentityDistance,
            // MixerProbe's distributions over tokens and depth; a single matrix (MixerMetrics.Layer) carries the six above.
            ProbeMetricNames.RowSumErrorMean, ProbeMetricNames.ColumnSumErrorMean, ProbeMetricNames.SpectralNormMean,
            ProbeMetricNames.SpectralNormP50, ProbeMetricNames.SpectralNormP95, ProbeMetricNames.RoutingEntropy,
            ProbeMetricNames.RoutingEntropyMin, ProbeMetricNames.CompositeGain, ProbeMetricNames.CompositeGainP50,
            ProbeMetricNames.CompositeGainP95,
        ],
        _ => throw new ArgumentException($"'{kind.ToJsonName()}' is a weight kind; its metrics are the weight metrics (docs/metrics.md).", nameof(kind)),
    };
}
