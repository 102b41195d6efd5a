using System.Globalization;
using System.Text;
using SpectralGate.Engine.Gate;
using SpectralGate.Engine.IO;
using SpectralGate.Engine.Metrics;
using SpectralGate.Engine.Reports;
using SpectralGate.Engine.Signatures;

namespace SpectralGate.Cli.Reports;

/// <summary>
/// The report of one gate run: <c>{model}.md</c> and <c>{model}.html</c> with the verdict, the findings table, the
/// per-layer metrics and an ESD plot per layer, the baseline's ESD overlaid when there is one (PNG beside the Markdown,
/// inline SVG in the HTML). On GitHub Actions the
/// Markdown is also appended to <c>$GITHUB_STEP_SUMMARY</c>.
/// </summary>
internal static class GateReport
{
    public static void Write(string directory, string modelPath, GateResult result, IReadOnlyDictionary<string, double[]> spectra) =>
        Write(directory, modelPath, result, spectra, verdict: true);

    /// <summary><c>inspect --report</c>: the same report for one signature, with no baseline and no verdict.</summary>
    public static void WriteInspection(string directory, string modelPath, SpectralSignature signature, IReadOnlyDictionary<string, double[]> spectra) =>
        Write(directory, modelPath, new GateResult([], signature, null), spectra, verdict: false);

    private static void Write(string directory, string modelPath, GateResult result, IReadOnlyDictionary<string, double[]> spectra, bool verdict)
    {
        string name = Path.GetFileNameWithoutExtension(modelPath);
        Directory.CreateDirectory(directory);
        var signature = result.Signature;
        var plots = new Dictionary<string, byte[]>();
        var svgs = new Dictionary<string, string>();
        if (signature is not null)
            foreach (var layer in signature.Layers)
                if (spectra.TryGetValue(layer.Name, out var ev))
                {
                    var baseline = result.Baseline?.Layer(layer.Name)?.EsdQuantiles;
                    plots[layer.Name] = EsdPlot.Png(layer, ev, baseline);
                    svgs[layer.Name] = EsdPlot.Svg(layer, ev, baseline);
                }

        var md = new StringBuilder();
        md.Append($"## SpectralGate: `{modelPath}`\n\n");
        if (verdict) md.Append(result.HasErrors ? "**Failed**\n\n" : "**Passed**\n\n");
        if (result.Diagnostics.Count > 0)
        {
            md.Append("| code | where | message |\n|---|---|---|\n");
            foreach (var d in result.Diagnostics) md.Append($"| {d.Code} | {Path.GetFileName(d.File)}:{d.Line} | {d.Message.Replace("|", "\\|")} |\n");
            md.Append('\n');
        }
        if (result.Comparison is { IsMatch: false } comparison)
            md.Append("```\n").Append(ComparisonTable.Render(comparison)).Append("```\n\n");
        if (signature is not null)
        {
            md.Append("| layer | shape | alpha | stable rank | effective rank | spikes | labels |\n|---|---|---|---|---|---|---|\n");
            foreach (var l in signature.Layers)
                md.Append($"| {l.Name} | {string.Join("x", l.Shape)} | {F(l[MetricNames.Alpha])} | {F(l[MetricNames.StableRank])} | {F(l[MetricNames.EffectiveRank])} | {F(l[MetricNames.NumSpikes])} | {string.Join(", ", l.Labels)} |\n");
            md.Append('\n');
        }
        string mdPlots = md.ToString();
        var withImages = new StringBuilder(mdPlots);
        foreach (var (layer, png) in plots)
        {
            string file = $"{name}.{Safe(layer)}.png";
            AtomicFile.WriteAllBytes(Path.Combine(directory, file), png);
            withImages.Append($"![{layer}]({file})\n");
        }
        AtomicFile.WriteAllBytes(Path.Combine(directory, name + ".md"), Encoding.UTF8.GetBytes(withImages.ToString()));

        var html = new StringBuilder("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>SpectralGate report</title>");
        html.Append("<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:2px 6px;text-align:right}td:first-child{text-align:left}pre{background:#f6f6f6;padding:1em}</style></head><body>");
        html.Append($"<h2>SpectralGate: {Escape(modelPath)}</h2>");
        if (verdict) html.Append($"<p><b>{(result.HasErrors ? "Failed" : "Passed")}</b></p>");
        foreach (var d in result.Diagnostics) html.Append($"<p><code>{Escape(d.ToString())}</code></p>");
        if (result.Comparison is { IsMatch: false } c) html.Append($"<pre>{Escape(ComparisonTable.Render(c))}</pre>");
        if (signature is not null)
        {
            html.Append("<table><tr><th>layer</th><th>shape</th><th>alpha</th><th>stable rank</th><th>effective rank</th><th>spikes</th><th>labels</th></tr>");
            foreach (var l in signature.Layers)
                html.Append($"<tr><td>{Escape(l.Name)}</td><td>{string.Join("x", l.Shape)}</td><td>{F(l[MetricNames.Alpha])}</td><td>{F(l[MetricNames.StableRank])}</td><td>{F(l[MetricNames.EffectiveRank])}</td><td>{F(l[MetricNames.NumSpikes])}</td><td>{Escape(string.Join(", ", l.Labels))}</td></tr>");
            html.Append("</table>");
        }
        foreach (var (_, svg) in svgs) html.Append("<figure>").Append(svg).Append("</figure>");
        html.Append("</body></html>\n");
        AtomicFile.WriteAllBytes(Path.Combine(directory, name + ".html"), Encoding.UTF8.GetBytes(html.ToString()));

        string? summary = Environment.GetEnvironmentVariable("GITHUB_STEP_SUMMARY");
        if (!string.IsNullOrEmpty(summary)) File.AppendAllText(summary, mdPlots);
    }

    private static string F(double? v) => v is double d ? d.ToString("0.###", CultureInfo.InvariantCulture) : "-";

    private static string Safe(string layer) => new(layer.Select(ch => char.IsLetterOrDigit(ch) || ch is '.' or '-' or '_' ? ch : '_').ToArray());

    private static string Escape(string s) => System.Net.WebUtility.HtmlEncode(s);
}
