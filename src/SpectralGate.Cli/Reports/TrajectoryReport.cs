using System.Text;
using SpectralGate.Engine.IO;
using SpectralGate.Engine.Trajectories;

namespace SpectralGate.Cli.Reports;

/// <summary>
/// <c>trajectory --report DIR</c>: <c>trajectory.html</c> with, per layer, each chosen metric against the step as
/// inline SVG (<see cref="TrajectoryChart"/>), and the same charts as <c>{layer}.{metric}.png</c> beside it. Layers in
/// natural order, metrics in the order asked; a metric no record of a layer holds gets no chart, and the page says so.
/// </summary>
internal static class TrajectoryReport
{
    public const string HtmlFile = "trajectory.html";

    /// <param name="bands">Per (layer, metric), the band drawn behind the curve; absent keys have none.</param>
    /// <param name="marks">Steps to mark on the curves (assertions or the gate that fired).</param>
    public static void Write(string directory, Trajectory trajectory, IReadOnlyList<string> metrics, bool logStep,
        IReadOnlyDictionary<(string Layer, string Metric), IReadOnlyList<TrajectoryBandPoint>>? bands = null, IReadOnlyList<TrajectoryMark>? marks = null)
    {
        ArgumentNullException.ThrowIfNull(trajectory);
        Directory.CreateDirectory(directory);
        var html = new StringBuilder("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>SpectralGate trajectory</title>");
        html.Append("<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:2px 6px}figure{display:inline-block;margin:0 1em 1em 0}</style></head><body>");
        html.Append("<h1>SpectralGate trajectory</h1>");
        var steps = trajectory.Records.Select(r => r.Step).Distinct().ToList();
        html.Append($"<p>{trajectory.Records.Count} records, steps {Escape(Describe(steps))}; settings: {Escape(string.Join(", ", trajectory.Settings.Select(p => $"{p.Key}={p.Value}")))}</p>");
        if (marks is { Count: > 0 })
        {
            html.Append("<h2>Fired</h2><table><tr><th>step</th><th>layer</th><th>metric</th><th>what</th></tr>");
            foreach (var m in marks.OrderBy(m => m.Step).ThenBy(m => m.Layer, StringComparer.Ordinal).ThenBy(m => m.Metric, StringComparer.Ordinal))
                html.Append($"<tr><td>{m.Step}</td><td>{Escape(m.Layer)}</td><td>{Escape(m.Metric)}</td><td>{Escape(m.Label)}</td></tr>");
            html.Append("</table>");
        }

        int charts = 0;
        foreach (string layer in trajectory.LayerNames())
        {
            html.Append($"<h2>{Escape(layer)}</h2>");
            var missing = new List<string>();
            foreach (string metric in metrics)
            {
                var points = trajectory.Series(layer, metric, TrajectoryTiers.Full);
                if (points.Count == 0) points = trajectory.Series(layer, metric);
                if (points.Count == 0)
                {
                    missing.Add(metric);
                    continue;
                }
                var input = new TrajectoryChart.Input(layer, metric, points,
                    bands is not null && bands.TryGetValue((layer, metric), out var band) ? band : [],
                    marks?.Where(m => m.Layer == layer && m.Metric == metric).ToList() ?? [],
                    logStep);
                string png = $"{Safe(layer)}.{Safe(metric)}.png";
                AtomicFile.WriteAllBytes(Path.Combine(directory, png), TrajectoryChart.Png(input));
                html.Append($"<figure>{TrajectoryChart.Svg(input, $"c{++charts}")}<figcaption><a href=\"{Escape(png)}\">{Escape(png)}</a></figcaption></figure>");
            }
            if (missing.Count > 0) html.Append($"<p>No values for {Escape(string.Join(", ", missing))} in this layer's records.</p>");
        }
        html.Append("</body></html>\n");
        AtomicFile.WriteAllBytes(Path.Combine(directory, HtmlFile), Encoding.UTF8.GetBytes(html.ToString()));
    }

    private static string Describe(IReadOnlyList<long> steps) => steps.Count switch
    {
        0 => "none",
        <= 8 => string.Join(", ", steps),
        _ => $"{steps[0]} to {steps[^1]}",
    };

    public static string Safe(string name) => new(name.Select(ch => char.IsLetterOrDigit(ch) || ch is '.' or '-' or '_' ? ch : '_').ToArray());

    private static string Escape(string s) => System.Net.WebUtility.HtmlEncode(s);
}
