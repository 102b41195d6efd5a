using System.Globalization;
using SpectralGate.Engine.Matrices;
using SpectralGate.Engine.Metrics;
using SpectralGate.Engine.Signatures;

namespace SpectralGate.Cli.Rendering;

/// <summary>
/// The at-a-glance per-layer table (WeightWatcher's <c>details</c>, trimmed to what people read first), as plain
/// aligned text so it reads the same in a terminal, a CI log and a test's output.
/// </summary>
internal static class LayerTable
{
    internal static readonly (string Header, string Metric)[] Columns =
    [
        ("alpha", MetricNames.Alpha),
        ("alpha_farms", MetricNames.AlphaFarms),
        ("ks", MetricNames.KsDistance),
        ("stable_rank", MetricNames.StableRank),
        ("eff_rank", MetricNames.EffectiveRank),
        ("entropy", MetricNames.SpectralEntropy),
        ("sigma_max", MetricNames.SpectralNorm),
        ("spikes", MetricNames.NumSpikes),
    ];

    /// <summary>The columns shown for a signature: alpha_farms only when it was computed (<c>--farms</c>), not a column of dashes.</summary>
    internal static IReadOnlyList<(string Header, string Metric)> ColumnsFor(SpectralSignature signature) =>
        signature.Settings.GetValueOrDefault("farms", "off") == "off" ? Columns.Where(c => c.Metric != MetricNames.AlphaFarms).ToArray() : Columns;

    public static void Write(SpectralSignature signature, TextWriter output)
    {
        var columns = ColumnsFor(signature);
        var rows = new List<string[]>
        {
            new[] { "layer", "shape", "kind" }.Concat(columns.Select(c => c.Header)).Append("labels").ToArray(),
        };
        foreach (var layer in signature.Layers)
        {
            rows.Add(new[] { layer.Name, string.Join("x", layer.Shape), layer.Kind.ToJsonName() }
                .Concat(columns.Select(c => Format(layer[c.Metric])))
                .Append(HealthLabels.AreHealthy(layer.Labels) ? string.Join(",", layer.Labels.Prepend("healthy")) : string.Join(",", layer.Labels))
                .ToArray());
        }

        int[] widths = Enumerable.Range(0, rows[0].Length).Select(i => rows.Max(r => r[i].Length)).ToArray();
        output.WriteLine($"{signature.Model.Path}  ({signature.Model.Format}, {signature.Model.ParameterCount:N0} parameters, sha256 {signature.Model.Sha256[..12]}…)");
        foreach (var (row, index) in rows.Select((r, i) => (r, i)))
        {
            output.WriteLine(string.Join("  ", row.Select((cell, i) => i < 3 ? cell.PadRight(widths[i]) : cell.PadLeft(widths[i]))).TrimEnd());
            if (index == 0) output.WriteLine(string.Join("  ", widths.Select(w => new string('-', w))));
        }

        var labels = signature.LabelCounts();
        output.WriteLine();
        // A minority analysed is never "all healthy": it says so, with its code (SG1017).
        var coverage = signature.Coverage;
        bool minority = coverage is { IsMinority: true };
        output.WriteLine($"{signature.Layers.Count} layers analysed, {signature.Skipped.Count} tensors skipped"
            + (!labels.Keys.All(HealthLabels.Informational.Contains) ? "; " + string.Join(", ", labels.Select(p => $"{p.Key}: {p.Value}")) + "."
                : minority ? "; no health label fired on the layers analysed." : "; all healthy (no health label fired)."));
        if (coverage is { IsWorthWriting: true }) output.WriteLine($"Coverage: {coverage.Text}.");
        if (minority) output.WriteLine($"warning {SpectralGate.Engine.Gate.GateCodes.MinorityAnalysed}: {coverage!.MinorityWarning}");
        if (signature.Settings.TryGetValue("sketch", out string? sketch))
            output.WriteLine($"Sketched spectra ({sketch}): approximate, see docs/scale.md for the error of each metric.");
        if (signature.Settings.TryGetValue(SpectralGate.Engine.Signatures.ShardSpec.SettingsKey, out string? shard))
            output.WriteLine($"Shard {shard} only: join all shards with 'spectralgate merge'.");
    }

    /// <summary>A metric cell: "-" when undefined, scientific outside [1e-3, 1e5).</summary>
    internal static string Format(double? value) => value switch
    {
        null => "-",
        double v when Math.Abs(v) >= 1e5 || (v != 0 && Math.Abs(v) < 1e-3) => v.ToString("0.##e+0", CultureInfo.InvariantCulture),
        double v when v == Math.Floor(v) && Math.Abs(v) < 1e5 => v.ToString("0", CultureInfo.InvariantCulture),
        double v => v.ToString("0.###", CultureInfo.InvariantCulture),
    };
}
