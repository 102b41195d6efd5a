using SpectralGate.Engine.Matrices;

namespace SpectralGate.Engine.Signatures;

/// <summary>The spectral metrics of one layer (one weight tensor, or one part of a split fused projection).</summary>
public sealed class LayerSignature
{
    public required string Name { get; init; }

    public required long[] Shape { get; init; }

    public required LayerKind Kind { get; init; }

    /// <summary>Metric name (JSON key, e.g. <c>stable_rank</c>) to value; null where the metric is undefined for this layer.</summary>
    public required IReadOnlyDictionary<string, double?> Metrics { get; init; }

    /// <summary>
    /// The ESD in brief (<see cref="Metrics.EsdQuantiles"/>, JSON <c>esd_quantiles</c>): what the report draws under the
    /// actual spectrum and <c>esd_distance</c> compares. Null where there is no exact spectrum (sketched, non-finite,
    /// probes) or in a baseline written before it existed.
    /// </summary>
    public IReadOnlyList<double>? EsdQuantiles { get; init; }

    /// <summary>Health labels (<c>over_trained</c>, <c>non_finite</c>, ...), sorted.</summary>
    public required IReadOnlyList<string> Labels { get; init; }

    /// <summary>The <see cref="LayerFingerprint"/> of the layer's values; null in signatures written before fingerprints.</summary>
    public string? Fingerprint { get; init; }

    /// <summary>The metric's value, or null when absent or undefined.</summary>
    public double? this[string metric] => Metrics.TryGetValue(metric, out var v) ? v : null;

    public bool HasLabel(string label) => Labels.Contains(label);
}
