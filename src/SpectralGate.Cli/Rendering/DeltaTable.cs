using System.Globalization;
using SpectralGate.Engine.Deltas;

namespace SpectralGate.Cli.Rendering;

/// <summary>What a fine-tune changed, one line per layer, as plain aligned text.</summary>
internal static class DeltaTable
{
    private static readonly (string Header, string Metric)[] Columns =
    [
        ("rel_change", DeltaMetricNames.RelativeChange),
        ("dW_sigma_max", DeltaMetricNames.SpectralNorm),
        ("dW_stable_rank", DeltaMetricNames.StableRank),
        ("dW_eff_rank", DeltaMetricNames.EffectiveRank),
        ("dW_rank", DeltaMetricNames.NumericalRank),
        ("dW/muP", DeltaMetricNames.SpectralNormMup),
        ("max_angle", DeltaMetricNames.SubspaceMaxAngle),
        ("alpha_change", DeltaMetricNames.AlphaChange),
    ];

    public static void Write(DeltaSignature delta, TextWriter output)
    {
        var rows = new List<string[]> { new[] { "layer", "shape", "status" }.Concat(Columns.Select(c => c.Header)).ToArray() };
        foreach (var layer in delta.Layers)
        {
            string shape = string.Join("x", layer.Shape) + (layer.BaseShape is { } b ? $" (was {string.Join("x", b)})" : "");
            rows.Add(new[] { layer.Name, shape, LayerDelta.StatusName(layer.Status) }.Concat(Columns.Select(c => LayerTable.Format(layer[c.Metric]))).ToArray());
        }
        int[] widths = Enumerable.Range(0, rows[0].Length).Select(i => rows.Max(r => r[i].Length)).ToArray();
        output.WriteLine($"{delta.Tuned.Path} against {delta.Base.Path}");
        foreach (var (row, index) in rows.Select((r, i) => (r, i)))
        {
            output.WriteLine(string.Join("  ", row.Select((cell, i) => i < 3 ? cell.PadRight(widths[i]) : cell.PadLeft(widths[i]))).TrimEnd());
            if (index == 0) output.WriteLine(string.Join("  ", widths.Select(w => new string('-', w))));
        }
        output.WriteLine();
        output.WriteLine($"{delta.Count(DeltaStatus.Changed)} layers changed, {delta.Count(DeltaStatus.Unchanged)} unchanged, "
            + $"{delta.Count(DeltaStatus.ShapeChanged)} resized, {delta.Count(DeltaStatus.NonFinite)} non-finite; {delta.Skipped.Count} tensors skipped.");
        if (delta.OnlyInBase.Count > 0) output.WriteLine($"Only in the base ({delta.OnlyInBase.Count}): {string.Join(", ", delta.OnlyInBase)}");
        if (delta.OnlyInTuned.Count > 0) output.WriteLine($"Only in the tuned model ({delta.OnlyInTuned.Count}): {string.Join(", ", delta.OnlyInTuned)}");
    }

}
