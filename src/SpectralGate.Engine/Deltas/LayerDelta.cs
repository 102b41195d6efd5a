namespace SpectralGate.Engine.Deltas;

/// <summary>The delta metrics of one layer matched by name (keys in <see cref="DeltaMetricNames"/>; null where undefined).</summary>
public sealed class LayerDelta
{
    public required string Name { get; init; }

    /// <summary>The tuned tensor's shape (the base shape is in <see cref="BaseShape"/> when it differs).</summary>
    public required long[] Shape { get; init; }

    public long[]? BaseShape { get; init; }

    public required DeltaStatus Status { get; init; }

    public required IReadOnlyDictionary<string, double?> Metrics { get; init; }

    public double? this[string metric] => Metrics.TryGetValue(metric, out var v) ? v : null;

    /// <summary>The status as written to JSON and shown in tables.</summary>
    public static string StatusName(DeltaStatus status) => status switch
    {
        DeltaStatus.Unchanged => "unchanged",
        DeltaStatus.Changed => "changed",
        DeltaStatus.ShapeChanged => "shape_changed",
        _ => "non_finite",
    };
}
