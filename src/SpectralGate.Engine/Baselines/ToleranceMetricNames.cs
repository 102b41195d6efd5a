using SpectralGate.Engine.Metrics;
using SpectralGate.Engine.Probes;

namespace SpectralGate.Engine.Baselines;

/// <summary>
/// The metric names a tolerance rule may name: a weight signature's (<see cref="KnownMetrics"/>) and a probe section's
/// (<see cref="ProbeMetricNames"/>). Anything else is a typo that would never apply.
/// </summary>
public static class ToleranceMetricNames
{
    public static bool IsKnown(string metric) => KnownMetrics.IsKnown(metric) || ProbeMetricNames.All.Contains(metric);
}
