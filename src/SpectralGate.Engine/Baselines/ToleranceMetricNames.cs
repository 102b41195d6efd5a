using SpectralGate.Engine.Metrics;
using SpectralGate.Engine.Probes;

namespace SpectralGate.Engine.Baselines;

/// <summary>
/// The metric names a tolerance rule may name: a weight signature's (<see cref="MetricNames"/>) and a probe section's
/// (<see cref="ProbeMetricNames"/>). Anything else is a typo that would never apply.
/// </summary>
public static class ToleranceMetricNames
{
    /// <summary>Both families, sorted.</summary>
    public static IReadOnlyList<string> All { get; } = [.. MetricNames.All.Concat(ProbeMetricNames.All).Order(StringComparer.Ordinal)];

    public static bool IsKnown(string metric) => metric == "*" || All.Contains(metric);

    /// <summary>"unknown metric 'x'" with the nearest name of either family.</summary>
    public static string Unknown(string metric) => KnownMetrics.Unknown(metric, All);
}
