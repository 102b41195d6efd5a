using System.Globalization;
using System.Text;
using SpectralGate.Engine.Deltas;
using SpectralGate.Engine.IO;

namespace SpectralGate.Cli.Reports;

/// <summary><c>diff --delta --report DIR</c>: <c>delta.md</c> (the per-layer table and the chart) and <c>delta.png</c> (<see cref="DeltaChart"/>).</summary>
internal static class DeltaReport
{
    public const string ChartFile = "delta.png";

    public const string MarkdownFile = "delta.md";

    public static void Write(string directory, DeltaSignature delta)
    {
        Directory.CreateDirectory(directory);
        AtomicFile.WriteAllBytes(Path.Combine(directory, ChartFile), DeltaChart.Png(delta));
        var md = new StringBuilder($"# What changed: {delta.Tuned.Path} against {delta.Base.Path}\n\n");
        md.Append($"| layer | status | {DeltaMetricNames.RelativeChange} | {DeltaMetricNames.StableRank} | {DeltaMetricNames.NumericalRank} | {DeltaMetricNames.SpectralNormMup} |\n|---|---|---|---|---|---|\n");
        foreach (var l in delta.Layers)
            md.Append($"| {l.Name} | {LayerDelta.StatusName(l.Status)} | {F(l[DeltaMetricNames.RelativeChange])} | {F(l[DeltaMetricNames.StableRank])} | {F(l[DeltaMetricNames.NumericalRank])} | {F(l[DeltaMetricNames.SpectralNormMup])} |\n");
        foreach (string name in delta.OnlyInBase) md.Append($"| {name} | only in base | - | - | - | - |\n");
        foreach (string name in delta.OnlyInTuned) md.Append($"| {name} | only in tuned | - | - | - | - |\n");
        md.Append($"\n![{DeltaChart.RelativeChangeSeries} and {DeltaChart.StableRankSeries} per layer]({ChartFile})\n");
        AtomicFile.WriteAllBytes(Path.Combine(directory, MarkdownFile), Encoding.UTF8.GetBytes(md.ToString()));
    }

    private static string F(double? v) => v is double d ? d.ToString("G4", CultureInfo.InvariantCulture) : "-";
}
