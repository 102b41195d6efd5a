using System.Globalization;
using System.Text;
using SpectralGate.Engine.Baselines;

namespace SpectralGate.Engine.Reports;

/// <summary>Layers ranked by <see cref="LayerDamage"/> as an aligned text table, most damaged first.</summary>
public static class LayerDamageTable
{
    public static string Render(IReadOnlyList<LayerDamage> ranked)
    {
        var rows = new List<string[]> { new[] { "rank", "layer", "worst metric", "baseline", "actual", "factor" } };
        for (int i = 0; i < ranked.Count; i++)
        {
            var d = ranked[i];
            rows.Add([(i + 1).ToString(CultureInfo.InvariantCulture), d.Layer, d.Metric, ComparisonTable.Number(d.Baseline), ComparisonTable.Number(d.Actual),
                d.Factor.ToString("0.000", CultureInfo.InvariantCulture) + "x"]);
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
}
