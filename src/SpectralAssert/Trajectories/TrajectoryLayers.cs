using System.Text.RegularExpressions;
using SpectralAssert.Assertions;
using SpectralGate.Engine.Matrices;
using SpectralGate.Engine.Metrics;
using SpectralGate.Engine.Signatures;

namespace SpectralAssert.Trajectories;

/// <summary>A selection of a trajectory's layers, waiting for the metric to assert on.</summary>
public sealed class TrajectoryLayers
{
    internal TrajectoryLayers(LayerSelector selector) => Selector = selector;

    internal LayerSelector Selector { get; }

    public TrajectoryLayers OfKind(LayerKind kind) => new(Selector.Kind(kind));

    public TrajectoryLayers Matching(string glob) => new(Selector.Glob(glob));

    public TrajectoryLayers Matching(Regex regex) => new(Selector.Regex(regex));

    public TrajectoryLayers Where(Func<LayerSignature, bool> predicate, string description = "matching a predicate") => new(Selector.Where(predicate, description));

    public TrajectoryMetric Metric(string name) => new(TrajectorySeries.PerLayer(Selector, name));

    public TrajectoryMetric Alpha => Metric(MetricNames.Alpha);
    public TrajectoryMetric StableRank => Metric(MetricNames.StableRank);
    public TrajectoryMetric EffectiveRank => Metric(MetricNames.EffectiveRank);
    public TrajectoryMetric SpectralNorm => Metric(MetricNames.SpectralNorm);
    public TrajectoryMetric FrobeniusNorm => Metric(MetricNames.FrobeniusNorm);
    public TrajectoryMetric SpectralEntropy => Metric(MetricNames.SpectralEntropy);
    public TrajectoryMetric UpdateSpectralNorm => Metric(MetricNames.UpdateSpectralNorm);
}
