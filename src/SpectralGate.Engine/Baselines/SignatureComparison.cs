namespace SpectralGate.Engine.Baselines;

/// <summary>The outcome of comparing a signature with its baseline.</summary>
public sealed class SignatureComparison
{
    public SignatureComparison(IReadOnlyList<Finding> findings, int layersCompared)
    {
        Findings = findings
            .OrderBy(f => f.Kind == FindingKind.Regression ? 1 : 0)
            .ThenByDescending(f => f.Excess)
            .ThenBy(f => f.Layer, StringComparer.Ordinal)
            .ThenBy(f => f.Metric, StringComparer.Ordinal)
            .ToList();
        LayersCompared = layersCompared;
    }

    /// <summary>Structural findings first, then regressions by how far over tolerance they are.</summary>
    public IReadOnlyList<Finding> Findings { get; }

    public int LayersCompared { get; }

    public bool IsMatch => Findings.Count == 0;

    public int LayersWithFindings => Findings.Select(f => f.Layer).Distinct().Count();
}
