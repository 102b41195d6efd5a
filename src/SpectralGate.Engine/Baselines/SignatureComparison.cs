using System.Globalization;

namespace SpectralGate.Engine.Baselines;

/// <summary>The outcome of comparing a signature with its baseline.</summary>
public sealed class SignatureComparison
{
    public SignatureComparison(IReadOnlyList<Finding> findings, int layersCompared, IReadOnlyList<MetricNote>? notes = null,
        IReadOnlyDictionary<string, LayerChange>? changes = null)
    {
        Notes = notes ?? [];
        Changes = changes ?? new Dictionary<string, LayerChange>();
        Findings = findings
            .OrderBy(f => f.Kind switch { FindingKind.Regression => 1, FindingKind.EquivalentChange => 2, _ => 0 })
            .ThenByDescending(f => f.Excess)
            .ThenBy(f => f.Layer, StringComparer.Ordinal)
            .ThenBy(f => f.Metric, StringComparer.Ordinal)
            .ToList();
        LayersCompared = layersCompared;
    }

    /// <summary>Structural findings first, then regressions by how far over tolerance they are, then spectrally equivalent changes.</summary>
    public IReadOnlyList<Finding> Findings { get; }

    public int LayersCompared { get; }

    /// <summary>The regression that moved most relative to its baseline value, or null when none has a relative change.</summary>
    public Finding? LargestRelativeChange => Findings.Where(f => f.Kind == FindingKind.Regression && f.RelativeChange is not null).MaxBy(f => f.RelativeChange!.Value);

    /// <summary>
    /// Summary statistics in one line, in the spirit of pytest-regressions: "1 of 3 compared layers changed; largest
    /// relative change stable_rank on 'fc1.weight': 6.42 -> 59.5 (826.8%)".
    /// </summary>
    public string Summary
    {
        get
        {
            string line = string.Create(CultureInfo.InvariantCulture, $"{LayersCompared - LayersMatching} of {LayersCompared} compared layers changed");
            if (LargestRelativeChange is { } f)
                line += string.Create(CultureInfo.InvariantCulture, $"; largest relative change {f.Metric} on '{f.Layer}': {f.Expected:G4} -> {f.Actual:G4} ({f.RelativeChange * 100:0.#}%)");
            return line;
        }
    }

    /// <summary>Metrics on one side only (new in this release, or no longer computed): reported, never failures.</summary>
    public IReadOnlyList<MetricNote> Notes { get; }

    public bool IsMatch => Findings.Count == 0;

    /// <summary>Each compared layer's <see cref="LayerChange"/> (by fingerprint), in natural name order.</summary>
    public IReadOnlyDictionary<string, LayerChange> Changes { get; }

    /// <summary>Compared layers whose values changed with every metric within tolerance: the spectral gate's blind spot.</summary>
    public IReadOnlyList<string> SpectrallyEquivalentLayers => Changes.Where(p => p.Value == LayerChange.SpectrallyEquivalent).Select(p => p.Key).ToList();

    public int LayersWithFindings => Findings.Select(f => f.Layer).Distinct().Count();

    /// <summary>
    /// Compared layers with no finding. Added, removed and reshaped layers are never compared, so they do not lower
    /// this count (a baseline of 3 layers and one added layer: 3 of 3 match, not 2).
    /// </summary>
    public int LayersMatching => LayersCompared - Findings.Where(f => f.Kind == FindingKind.Regression).Select(f => f.Layer).Distinct(StringComparer.Ordinal).Count();
}
