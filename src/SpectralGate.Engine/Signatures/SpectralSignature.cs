namespace SpectralGate.Engine.Signatures;

/// <summary>
/// A model's spectral signature: per-layer spectral metrics, what was skipped, and the settings that produced them.
/// Written as canonical JSON by <see cref="SignatureJson"/>.
/// </summary>
public sealed class SpectralSignature
{
    /// <summary>Version of the JSON layout; readers refuse newer versions.</summary>
    public const int CurrentFormatVersion = 1;

    public int FormatVersion { get; init; } = CurrentFormatVersion;

    public required ModelInfo Model { get; init; }

    /// <summary>The settings that affect the numbers, as JSON scalars keyed by snake_case name.</summary>
    public required IReadOnlyDictionary<string, string> Settings { get; init; }

    /// <summary>Layers in natural name order (<c>layers.2</c> before <c>layers.10</c>).</summary>
    public required IReadOnlyList<LayerSignature> Layers { get; init; }

    public required IReadOnlyList<SkippedTensor> Skipped { get; init; }

    /// <summary>How much of the model's weights was analysed; null for signatures that do not say (a live module, a file written without it).</summary>
    public SignatureCoverage? Coverage { get; init; }

    public LayerSignature? Layer(string name) => Layers.FirstOrDefault(l => l.Name == name);

    /// <summary>Mean of each metric over the layers where it is defined, of the values as written (so a file read back writes the same means).</summary>
    public SortedDictionary<string, double> MetricMeans()
    {
        var sums = new SortedDictionary<string, (double Sum, int Count)>(StringComparer.Ordinal);
        foreach (var layer in Layers)
            foreach (var (metric, value) in layer.Metrics)
                if (value is double v && double.IsFinite(v))
                {
                    sums.TryGetValue(metric, out var s);
                    sums[metric] = (s.Sum + CanonicalNumber.Round(v), s.Count + 1);
                }
        var means = new SortedDictionary<string, double>(StringComparer.Ordinal);
        foreach (var (metric, s) in sums) means[metric] = s.Sum / s.Count;
        return means;
    }

    /// <summary>How many layers carry each label.</summary>
    public SortedDictionary<string, int> LabelCounts()
    {
        var counts = new SortedDictionary<string, int>(StringComparer.Ordinal);
        foreach (var label in Layers.SelectMany(l => l.Labels))
            counts[label] = counts.GetValueOrDefault(label) + 1;
        return counts;
    }
}
