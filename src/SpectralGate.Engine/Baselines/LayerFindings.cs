namespace SpectralGate.Engine.Baselines;

/// <summary>
/// The regressions of one compared layer, worst first: a person reads them as one line naming the count and the worst
/// metric (Reports/LayerHeadline) with the per-metric details below it. A re-initialised layer moves
/// most metrics at once; reporting it as one layer, not 17 findings, is what makes a failure actionable.
/// </summary>
public sealed record LayerFindings(string Layer, IReadOnlyList<Finding> Findings)
{
    /// <summary>The finding furthest over its tolerance (undefined values and labels count as infinitely far).</summary>
    public Finding Worst => Findings[0];

    /// <summary>The layers with regressions, the layer whose worst finding is furthest over first (the comparison's order).</summary>
    public static IReadOnlyList<LayerFindings> Of(SignatureComparison comparison) =>
        comparison.Findings
            .Where(f => f.Kind == FindingKind.Regression)
            .GroupBy(f => f.Layer, StringComparer.Ordinal)
            .Select(g => new LayerFindings(g.Key, g.ToList()))
            .ToList();
}
