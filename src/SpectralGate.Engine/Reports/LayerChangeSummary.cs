using SpectralGate.Engine.Baselines;

namespace SpectralGate.Engine.Reports;

/// <summary>One line on what the fingerprints say: "fingerprints: 2 unchanged, 1 changed, spectrally equivalent (fc1.weight), 0 changed".</summary>
public static class LayerChangeSummary
{
    /// <summary>Layers named in the line at most; the rest are counted.</summary>
    private const int NamedAtMost = 5;

    /// <summary>The line, or null when no compared layer carries a fingerprint on both sides (an older baseline).</summary>
    public static string? Line(SignatureComparison comparison)
    {
        var counts = comparison.Changes.Values.GroupBy(c => c).ToDictionary(g => g.Key, g => g.Count());
        if (counts.Keys.All(c => c == LayerChange.NotFingerprinted)) return null;
        var equivalent = comparison.SpectrallyEquivalentLayers;
        string named = equivalent.Count == 0 ? ""
            : $" ({string.Join(", ", equivalent.Take(NamedAtMost))}{(equivalent.Count > NamedAtMost ? $", ... {equivalent.Count - NamedAtMost} more" : "")})";
        string line = $"fingerprints: {counts.GetValueOrDefault(LayerChange.Unchanged)} {LayerChanges.Describe(LayerChange.Unchanged)}, "
            + $"{equivalent.Count} {LayerChanges.Describe(LayerChange.SpectrallyEquivalent)}{named}, "
            + $"{counts.GetValueOrDefault(LayerChange.Changed)} {LayerChanges.Describe(LayerChange.Changed)}";
        int unknown = counts.GetValueOrDefault(LayerChange.NotFingerprinted);
        return unknown == 0 ? line : $"{line}, {unknown} {LayerChanges.Describe(LayerChange.NotFingerprinted)}";
    }
}
