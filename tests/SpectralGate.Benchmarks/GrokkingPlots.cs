using Grokking;

/// <summary>
/// The grokking walk-through's figures (docs/training.md): held-out and train accuracy (left axis) and one statistic
/// (right axis) against the step, for a grokking run and its control, with the transition the test found marked.
/// </summary>
internal static class GrokkingPlots
{
    public static void Write(string folder, string name, GrokkingRecording run, GrokkingStatistic statistic, string title)
    {
        Directory.CreateDirectory(folder);
        var plot = new ScottPlot.Plot();
        plot.Title(title);
        var trajectory = run.Trajectory;
        var test = new GrokkingStatistic(null, GrokkingRecording.TestAccuracy).Series(trajectory);
        var train = new GrokkingStatistic(null, GrokkingRecording.TrainAccuracy).Series(trajectory);
        var testLine = plot.Add.ScatterLine(test.Select(p => (double)p.Step).ToArray(), test.Select(p => p.Value ?? double.NaN).ToArray());
        testLine.LegendText = "held-out accuracy";
        testLine.Color = ScottPlot.Colors.SteelBlue;
        var trainLine = plot.Add.ScatterLine(train.Select(p => (double)p.Step).ToArray(), train.Select(p => p.Value ?? double.NaN).ToArray());
        trainLine.LegendText = "train accuracy";
        trainLine.Color = ScottPlot.Colors.Gray;
        trainLine.LinePattern = ScottPlot.LinePattern.Dashed;
        var series = statistic.Series(trajectory).Where(p => p.Value is not null).ToList();
        var statLine = plot.Add.ScatterLine(series.Select(p => (double)p.Step).ToArray(), series.Select(p => p.Value!.Value).ToArray());
        statLine.LegendText = statistic.ToString();
        statLine.Color = ScottPlot.Colors.DarkOrange;
        statLine.Axes.YAxis = plot.Axes.Right;
        var detection = GrokkingTransition.Detect(trajectory, statistic);
        if (detection.Step is { } step)
        {
            var line = plot.Add.VerticalLine(step);
            line.Color = ScottPlot.Colors.Crimson;
            line.LegendText = $"transition (step {step})";
        }
        if (run.GrokkedStep is { } grokked)
        {
            var line = plot.Add.VerticalLine(grokked);
            line.Color = ScottPlot.Colors.SteelBlue;
            line.LinePattern = ScottPlot.LinePattern.Dotted;
            line.LegendText = $"held-out 90 % (step {grokked})";
        }
        // Both axes from 0: an auto-scaled right axis would blow the control's 1 % drift up to the height of a transition.
        plot.Axes.SetLimitsY(0, 1.05, plot.Axes.Left);
        plot.Axes.SetLimitsY(0, series.Max(p => p.Value!.Value) * 1.1, plot.Axes.Right);
        plot.Axes.Left.Label.Text = "accuracy";
        plot.Axes.Right.Label.Text = statistic.ToString();
        plot.Axes.Bottom.Label.Text = "step";
        plot.ShowLegend();
        plot.Legend.Alignment = ScottPlot.Alignment.MiddleRight;
        plot.SavePng(Path.Combine(folder, name + ".png"), 800, 440);
        plot.SaveSvg(Path.Combine(folder, name + ".svg"), 800, 440);
    }
}
