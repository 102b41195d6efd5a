using System.Globalization;
using SpectralGate.Engine.Trajectories;

namespace SpectralGate.Cli.Reports;

/// <summary>
/// One metric of one layer against the training step: the curve (a gap where the metric is undefined), the baseline
/// band drawn behind it when there is one, and the marked steps (where an assertion or the gate fired) as red crosses
/// on the curve with their label. The log-step axis is log10(1 + step), so step 0 keeps its place; its ticks read as steps.
/// </summary>
internal static partial class TrajectoryChart
{
    public const string CurveLegend = "trajectory";
    public const string BandLegend = "baseline band";
    public const string MarkLegend = "fired";

    /// <summary>What one chart draws; the plot is made from it alone.</summary>
    public sealed record Input(
        string Layer,
        string Metric,
        IReadOnlyList<TrajectoryPoint> Points,
        IReadOnlyList<TrajectoryBandPoint> Band,
        IReadOnlyList<TrajectoryMark> Marks,
        bool LogStep);

    public static double X(long step, bool logStep) => logStep ? Math.Log10(1.0 + step) : step;

    public static ScottPlot.Plot Create(Input input)
    {
        var plot = new ScottPlot.Plot();
        plot.Title($"{input.Layer}: {input.Metric}");
        plot.XLabel(input.LogStep ? "step (log scale)" : "step");
        plot.YLabel(input.Metric);

        // Behind the curve: added first.
        if (input.Band.Count > 0)
        {
            var band = input.Band.OrderBy(b => b.Step).ToList();
            var fill = plot.Add.FillY(band.Select(b => X(b.Step, input.LogStep)).ToArray(), band.Select(b => b.Low).ToArray(), band.Select(b => b.High).ToArray());
            fill.LegendText = BandLegend;
            fill.FillColor = ScottPlot.Colors.SteelBlue.WithAlpha(0.2);
            fill.LineColor = ScottPlot.Colors.SteelBlue.WithAlpha(0.4);
        }

        bool legend = true;
        foreach (var run in DefinedRuns(input.Points))
        {
            var curve = plot.Add.Scatter(run.Select(p => X(p.Step, input.LogStep)).ToArray(), run.Select(p => p.Value!.Value).ToArray());
            curve.Color = ScottPlot.Colors.Black;
            curve.MarkerSize = 5;
            curve.LineWidth = 1.5f;
            if (legend) curve.LegendText = CurveLegend;
            legend = false;
        }

        bool markLegend = true;
        foreach (TrajectoryMark mark in input.Marks.OrderBy(m => m.Step).ThenBy(m => m.Label, StringComparer.Ordinal))
        {
            double x = X(mark.Step, input.LogStep);
            if (input.Points.FirstOrDefault(p => p.Step == mark.Step).Value is double y)
            {
                var marker = plot.Add.Marker(x, y, ScottPlot.MarkerShape.Cross, 12, ScottPlot.Colors.Red);
                if (markLegend) marker.LegendText = MarkLegend;
                var text = plot.Add.Text(mark.Label, x, y);
                text.LabelFontColor = ScottPlot.Colors.Red;
                text.LabelFontSize = 11;
            }
            else
            {
                // No value at that step (undefined, or a step the curve lacks): the whole step is marked.
                var line = plot.Add.VerticalLine(x, 1, ScottPlot.Colors.Red);
                line.LinePattern = ScottPlot.LinePattern.Dashed;
                line.Text = mark.Label;
                if (markLegend) line.LegendText = MarkLegend;
            }
            markLegend = false;
        }

        if (input.LogStep) LogStepTicks(plot, input);
        plot.ShowLegend();
        plot.Legend.Alignment = ScottPlot.Alignment.UpperRight;
        return plot;
    }

    public static byte[] Png(Input input, int width = 640, int height = 360) => Create(input).GetImageBytes(width, height, ScottPlot.ImageFormat.Png);

    /// <summary>
    /// An inline &lt;svg&gt; element. Skia numbers its clip paths with a counter global to the process (<c>cl_4</c>), so
    /// the same chart drawn twice would differ and two charts on one page could share an id: they are renumbered from 1
    /// under <paramref name="idPrefix"/>, unique per chart on a page.
    /// </summary>
    public static string Svg(Input input, string idPrefix = "c", int width = 640, int height = 360) =>
        RenumberClipIds(Create(input).GetSvgHtml(width, height), idPrefix);

    internal static string RenumberClipIds(string svg, string idPrefix)
    {
        var ids = new Dictionary<string, string>(StringComparer.Ordinal);
        return ClipId().Replace(svg, m =>
        {
            if (!ids.TryGetValue(m.Value, out string? id)) ids[m.Value] = id = $"{idPrefix}_cl_{ids.Count + 1}";
            return id;
        });
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"\bcl_[0-9A-Za-z]+\b")]
    private static partial System.Text.RegularExpressions.Regex ClipId();

    /// <summary>Maximal runs of consecutive points with a value: a line is not drawn across an undefined step.</summary>
    public static IEnumerable<IReadOnlyList<TrajectoryPoint>> DefinedRuns(IEnumerable<TrajectoryPoint> points)
    {
        var run = new List<TrajectoryPoint>();
        foreach (TrajectoryPoint p in points.OrderBy(p => p.Step))
        {
            if (p.Value is double v && double.IsFinite(v)) run.Add(p);
            else if (run.Count > 0)
            {
                yield return run;
                run = [];
            }
        }
        if (run.Count > 0) yield return run;
    }

    // Ticks at 0, 1, 10, 100, ... up to the last step, labelled with the step.
    private static void LogStepTicks(ScottPlot.Plot plot, Input input)
    {
        long last = Math.Max(1, input.Points.Concat(input.Band.Select(b => new TrajectoryPoint(b.Step, null))).Select(p => p.Step).DefaultIfEmpty(1).Max());
        var steps = new List<long> { 0 };
        for (long s = 1; s <= last && s > 0; s *= 10) steps.Add(s);
        plot.Axes.Bottom.SetTicks([.. steps.Select(s => X(s, true))], [.. steps.Select(s => s.ToString("N0", CultureInfo.InvariantCulture))]);
    }
}
