using System.Globalization;
using SpectralGate.Engine.Baselines;

namespace SpectralGate.Engine.Reports;

/// <summary>
/// The first line of a layer that moved, the same in assertion messages, <c>check</c>, <c>diff</c> and the MSBuild gate:
/// "layer 'blocks.1.fc1.weight': 17 metrics beyond tolerance, worst stable_rank 6.42 -> 59.5, 414.2x over".
/// </summary>
public static class LayerHeadline
{
    public static string For(LayerFindings layer)
    {
        int n = layer.Findings.Count;
        Finding worst = layer.Worst;
        string count = n == 1 ? "1 metric beyond tolerance" : string.Create(CultureInfo.InvariantCulture, $"{n} metrics beyond tolerance");
        return $"layer '{layer.Layer}': {count}, worst {Describe(worst)}";
    }

    /// <summary>"stable_rank 6.42 -> 59.5, 414.2x over", or "condition_number: metric became undefined".</summary>
    public static string Describe(Finding f) =>
        f.Expected is double e && f.Actual is double a && !double.IsInfinity(f.Excess)
            ? $"{f.Metric} {ComparisonTable.Number(e)} -> {ComparisonTable.Number(a)}, {Over(f.Excess)} over"
            : $"{f.Metric}: {f.Message}";

    public static string Over(double excess) => excess.ToString("0.0", CultureInfo.InvariantCulture) + "x";
}
