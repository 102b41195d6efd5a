using System.Globalization;
using System.Text;
using SpectralGate.Engine.Baselines;

namespace SpectralGate.Engine.Reports;

/// <summary>
/// The findings of a comparison as an aligned text table (layer, metric, baseline, actual, delta, tolerance, how far
/// over), worst first: what an assertion message, <c>spectralgate diff</c> and the gate print.
/// </summary>
public static class ComparisonTable
{
    public static string Render(SignatureComparison comparison, int maxRows = 50)
    {
        var rows = new List<string[]> { new[] { "layer", "metric", "baseline", "actual", "delta", "tolerance", "over" } };
        foreach (var f in comparison.Findings.Take(maxRows))
        {
            rows.Add(f.Kind switch
            {
                FindingKind.Regression when f.Expected is not null && f.Actual is not null => new[]
                {
                    f.Layer, f.Metric ?? "", Number(f.Expected), Number(f.Actual), Signed(f.Delta), f.Tolerance?.ToString() ?? "",
                    double.IsInfinity(f.Excess) ? "-" : f.Excess.ToString("0.0", CultureInfo.InvariantCulture) + "x",
                },
                _ => new[] { f.Layer, f.Metric ?? "", Number(f.Expected), Number(f.Actual), "", "", f.Message },
            });
        }
        int[] widths = Enumerable.Range(0, rows[0].Length).Select(i => rows.Max(r => r[i].Length)).ToArray();
        var sb = new StringBuilder();
        for (int r = 0; r < rows.Count; r++)
        {
            sb.Append("  ").AppendJoin("  ", rows[r].Select((cell, i) => i < 2 ? cell.PadRight(widths[i]) : cell.PadLeft(widths[i]))).Append('\n');
            if (r == 0) sb.Append("  ").AppendJoin("  ", widths.Select(w => new string('-', w))).Append('\n');
        }
        if (comparison.Findings.Count > maxRows) sb.Append($"  ... and {comparison.Findings.Count - maxRows} more findings\n");
        return sb.ToString();
    }

    public static string Number(double? value) => value is double v ? v.ToString("G6", CultureInfo.InvariantCulture) : "-";

    private static string Signed(double? value) => value is double v ? (v >= 0 ? "+" : "") + v.ToString("G4", CultureInfo.InvariantCulture) : "";
}
