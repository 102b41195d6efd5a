using System.Globalization;
using System.Text;
using SpectralGate.Engine.Baselines;

namespace SpectralGate.Engine.Reports;

/// <summary>
/// The findings of a comparison as text, worst first: what an assertion message, <c>spectralgate diff</c>,
/// <c>check</c> and the gate report print. Structural and settings changes come first, one line each; then each layer
/// that moved gets one <see cref="LayerHeadline"/> with its per-metric details (baseline, actual, delta, tolerance, how
/// far over) in an aligned table below it.
/// </summary>
public static class ComparisonTable
{
    private static readonly string[] Header = ["metric", "baseline", "actual", "delta", "tolerance", "over"];

    /// <summary>At most <paramref name="maxRows"/> detail rows; layers beyond them keep their first line.</summary>
    public static string Render(SignatureComparison comparison, int maxRows = 50)
    {
        var sb = new StringBuilder();
        foreach (var f in comparison.Findings.Where(f => f.Kind != FindingKind.Regression))
            sb.Append("  ").Append(f.Kind == FindingKind.SettingsChanged ? f.Message : $"layer '{f.Layer}': {f.Message}").Append('\n');

        var layers = LayerFindings.Of(comparison);
        var details = new List<string[][]>();
        int budget = maxRows;
        foreach (var layer in layers)
        {
            var rows = layer.Findings.Take(Math.Max(budget, 0)).Select(Row).ToArray();
            budget -= rows.Length;
            details.Add(rows);
        }
        int[] widths = Enumerable.Range(0, Header.Length).Select(i => details.SelectMany(r => r).Append(Header).Max(r => r[i].Length)).ToArray();
        int omitted = 0;
        for (int l = 0; l < layers.Count; l++)
        {
            sb.Append("  ").Append(LayerHeadline.For(layers[l])).Append('\n');
            omitted += layers[l].Findings.Count - details[l].Length;
            if (details[l].Length == 0) continue;
            AppendRow(sb, Header, widths);
            sb.Append("    ").AppendJoin("  ", widths.Select(w => new string('-', w))).Append('\n');
            foreach (var row in details[l]) AppendRow(sb, row, widths);
        }
        if (omitted > 0) sb.Append(CultureInfo.InvariantCulture, $"  ... and {omitted} more findings\n");
        return sb.ToString();
    }

    private static string[] Row(Finding f) => f.Expected is not null && f.Actual is not null && f.Tolerance is not null
        ? [f.Metric ?? "", Number(f.Expected), Number(f.Actual), Signed(f.Delta), f.Tolerance.ToString() ?? "", double.IsInfinity(f.Excess) ? "-" : LayerHeadline.Over(f.Excess)]
        : [f.Metric ?? "", Number(f.Expected), Number(f.Actual), "", "", f.Message];

    private static void AppendRow(StringBuilder sb, string[] cells, int[] widths) =>
        sb.Append("    ").AppendJoin("  ", cells.Select((cell, i) => i == 0 ? cell.PadRight(widths[i]) : cell.PadLeft(widths[i])).ToArray()).Append('\n');

    public static string Number(double? value) => value is double v ? v.ToString("G6", CultureInfo.InvariantCulture) : "-";

    private static string Signed(double? value) => value is double v ? (v >= 0 ? "+" : "") + v.ToString("G4", CultureInfo.InvariantCulture) : "";
}
