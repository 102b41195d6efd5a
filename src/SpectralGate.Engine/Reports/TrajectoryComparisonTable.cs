using System.Globalization;
using System.Text;
using SpectralGate.Engine.Baselines;

namespace SpectralGate.Engine.Reports;

/// <summary>
/// The findings of a trajectory comparison as text: what a trajectory snapshot's failure and <c>check</c> print.
/// Settings and structural findings first, one line each; then each series that left its band gets its
/// <see cref="TrajectorySeriesFindings.Headline"/> and a table of its steps (baseline, actual, accepted range,
/// tolerance, how far over), in step order.
/// </summary>
public static class TrajectoryComparisonTable
{
    private static readonly string[] Header = ["step", "baseline", "actual", "accepted", "tolerance", "over"];

    /// <summary>At most <paramref name="maxRows"/> step rows in all, and <paramref name="maxLines"/> structural lines; the rest are counted.</summary>
    public static string Render(TrajectoryComparison comparison, int maxRows = 50, int maxLines = 20)
    {
        var sb = new StringBuilder();
        var other = comparison.Findings.Where(f => f.Kind != FindingKind.Regression).ToList();
        foreach (var f in other.Take(maxLines))
            sb.Append("  ").Append(f.Kind == FindingKind.SettingsChanged ? f.Message : $"{f.Where}: {f.Message}").Append('\n');
        if (other.Count > maxLines) sb.Append(CultureInfo.InvariantCulture, $"  ... and {other.Count - maxLines} more structural findings\n");

        var series = comparison.RegressionsBySeries;
        int budget = maxRows, omitted = 0;
        foreach (var s in series)
        {
            sb.Append("  ").Append(s.Headline).Append('\n');
            var rows = s.Findings.Take(Math.Max(budget, 0)).Select(Row).ToArray();
            budget -= rows.Length;
            omitted += s.Findings.Count - rows.Length;
            if (rows.Length == 0) continue;
            int[] widths = Enumerable.Range(0, Header.Length).Select(i => rows.Append(Header).Max(r => r[i].Length)).ToArray();
            AppendRow(sb, Header, widths);
            sb.Append("    ").AppendJoin("  ", widths.Select(w => new string('-', w))).Append('\n');
            foreach (var row in rows) AppendRow(sb, row, widths);
        }
        if (omitted > 0) sb.Append(CultureInfo.InvariantCulture, $"  ... and {omitted} more points outside their band\n");
        return sb.ToString();
    }

    private static string[] Row(TrajectoryFinding f)
    {
        string step = f.Step?.ToString(CultureInfo.InvariantCulture) + (f.Interpolated ? "~" : "");
        string accepted = f.Accepted is { } r ? $"[{ComparisonTable.Number(r.Low)}, {ComparisonTable.Number(r.High)}]" : "-";
        string over = f.Actual is null || f.Band?.Mean is null ? f.Message : double.IsInfinity(f.Excess) ? "-" : LayerHeadline.Over(f.Excess);
        return [step, ComparisonTable.Number(f.Baseline), ComparisonTable.Number(f.Actual), accepted, f.Tolerance?.ToString() ?? "", over];
    }

    private static void AppendRow(StringBuilder sb, string[] cells, int[] widths) =>
        sb.Append("    ").AppendJoin("  ", cells.Select((cell, i) => cell.PadLeft(widths[i])).ToArray()).Append('\n');
}
