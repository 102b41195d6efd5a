namespace SpectralGate.Engine.Metrics;

/// <summary>The metrics of one (pooled) spectrum, keyed by <see cref="MetricNames"/> (null = not defined), and its health labels.</summary>
public sealed record SpectrumMetricsResult(SortedDictionary<string, double?> Values, IReadOnlyList<string> Labels);
