using System.Globalization;
using System.Text;
using SpectralGate.Engine.Baselines;

namespace SpectralGate.Engine.Reports;

/// <summary>
/// Layers ranked by <see cref="LayerDamage"/> as an aligned text table, most damaged first; with the weight error
/// columns (relative Frobenius error, RMSE, max absolute error) when any layer has its <see cref="WeightError"/>.
/// </summary>
public static class LayerDamageTable
{
    public static string Render(IReadOnlyList<LayerDamage> ranked)
    {
        bool errors = ranked.Any(d => d.Error is not null);
        string[] header = ["rank", "layer", "worst metric", "baseline", "actual", "factor"];
        var rows = new List<string[]> { errors ? [.. header, "rel. error", "rmse", "max |error|"] : header };
        for (int i = 0; i < ranked.Count; i++)
        {
            var d = ranked[i];
            string[] row = [(i + 1).ToString(CultureInfo.InvariantCulture), d.Layer, d.Metric, ComparisonTable.Number(d.Baseline), ComparisonTable.Number(d.Actual),
                d.Factor.ToString("0.000", CultureInfo.InvariantCulture) + "x"];
            rows.Add(!errors ? row : d.Error is { } e
                ? [.. row, e.RelativeFrobenius.ToString("0.0000", CultureInfo.InvariantCulture), Scientific(e.Rmse), Scientific(e.MaxAbs)]
                : [.. row, "-", "-", "-"]);
        }
        int[] widths = Enumerable.Range(0, rows[0].Length).Select(i => rows.Max(r => r[i].Length)).ToArray();
        var sb = new StringBuilder();
        for (int r = 0; r < rows.Count; r++)
        {
            sb.Append("  ").AppendJoin("  ", rows[r].Select((cell, i) => i is 1 or 2 ? cell.PadRight(widths[i]) : cell.PadLeft(widths[i]))).Append('\n');
            if (r == 0) sb.Append("  ").AppendJoin("  ", widths.Select(w => new string('-', w))).Append('\n');
        }
        return sb.ToString();
    }

    private static string Scientific(double value) => value.ToString("0.000e+00", CultureInfo.InvariantCulture);
}
