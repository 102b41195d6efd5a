using SpectralGate.Engine.Deltas;

namespace SpectralGate.Cli.Reports;

/// <summary>
/// What a fine-tune changed at a glance: per layer, a bar of the relative change ‖ΔW‖_F/‖W_base‖_F (left axis) beside a
/// bar of ΔW's stable rank (right axis). An unchanged layer has ΔW = 0: both bars are 0; a reshaped or non-finite
/// layer has no bars.
/// </summary>
internal static class DeltaChart
{
    public const string RelativeChangeSeries = "relative change ‖ΔW‖F/‖W‖F";

    public const string StableRankSeries = "ΔW stable rank";

    public static ScottPlot.Plot Create(DeltaSignature delta)
    {
        var plot = new ScottPlot.Plot();
        plot.Title("What the fine-tune changed, per layer");
        var relative = new List<ScottPlot.Bar>();
        var rank = new List<ScottPlot.Bar>();
        for (int i = 0; i < delta.Layers.Count; i++)
        {
            LayerDelta layer = delta.Layers[i];
            if (Value(layer, DeltaMetricNames.RelativeChange) is double r) relative.Add(new ScottPlot.Bar { Position = i - 0.2, Value = r, Size = 0.4 });
            if (Value(layer, DeltaMetricNames.StableRank) is double s) rank.Add(new ScottPlot.Bar { Position = i + 0.2, Value = s, Size = 0.4 });
        }
        var relativeBars = plot.Add.Bars(relative);
        relativeBars.LegendText = RelativeChangeSeries;
        relativeBars.Color = ScottPlot.Colors.SteelBlue;
        var rankBars = plot.Add.Bars(rank);
        rankBars.LegendText = StableRankSeries;
        rankBars.Color = ScottPlot.Colors.DarkOrange;
        rankBars.Axes.YAxis = plot.Axes.Right;
        plot.Axes.Left.Label.Text = RelativeChangeSeries;
        plot.Axes.Right.Label.Text = StableRankSeries;
        plot.Axes.Bottom.SetTicks([.. Enumerable.Range(0, delta.Layers.Count).Select(i => (double)i)], [.. delta.Layers.Select(l => l.Name)]);
        plot.Axes.Bottom.TickLabelStyle.Rotation = 45;
        plot.Axes.Bottom.TickLabelStyle.Alignment = ScottPlot.Alignment.MiddleLeft;
        // Room below the axis for the longest layer name, drawn at 45°.
        plot.Axes.Bottom.MinimumSize = LabelRoom(delta);
        plot.Axes.Margins(bottom: 0);
        plot.ShowLegend();
        plot.Legend.Alignment = ScottPlot.Alignment.UpperLeft;
        return plot;
    }

    public static byte[] Png(DeltaSignature delta) =>
        Create(delta).GetImageBytes(Math.Max(640, 60 * delta.Layers.Count + 200 + (int)LabelRoom(delta)), 440 + (int)LabelRoom(delta), ScottPlot.ImageFormat.Png);

    private static float LabelRoom(DeltaSignature delta) => 20 + 6 * (delta.Layers.Count == 0 ? 0 : delta.Layers.Max(l => l.Name.Length));

    /// <summary>The bar's height: the metric, 0 for ΔW's norms and ranks of an unchanged layer, null where there is no ΔW.</summary>
    private static double? Value(LayerDelta layer, string metric) =>
        layer.Status switch
        {
            DeltaStatus.Unchanged => layer[metric] ?? 0,
            DeltaStatus.Changed => layer[metric],
            _ => null,
        };
}
