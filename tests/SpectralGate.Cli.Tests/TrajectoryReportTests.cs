using SpectralGate.Cli.Reports;
using SpectralGate.Engine.Trajectories;
using SpectralGate.Engine.Matrices;
using SpectralGate.Engine.Signatures;
using SpectralGate.Tests.Support;

namespace SpectralGate.Cli.Tests;

/// <summary><c>trajectory --report DIR</c>: the charts hold the series, the band behind it and the marks; the files are the same bytes every time.</summary>
public class TrajectoryReportTests
{
    private static LayerSignature Layer(string name, double? alpha, double stableRank) => new()
    {
        Name = name,
        Shape = [8, 4],
        Kind = LayerKind.Linear,
        Metrics = new SortedDictionary<string, double?> { ["alpha"] = alpha, ["stable_rank"] = stableRank },
        Labels = [],
    };

    // alpha 28.9 -> 4.2 -> 5.2 as in WeightWatcher #307, undefined at step 3000 for fc2.
    private static Trajectory Sample() => new()
    {
        Settings = new SortedDictionary<string, string> { ["precision"] = "float64" },
        Records = new (long Step, double Alpha)[] { (0, 28.9), (1000, 15), (3000, 7.1), (6000, 4.2), (500000, 5.2) }
            .Select(p => new TrajectoryRecord
            {
                Step = p.Step,
                Source = "live",
                Layers = [Layer("fc1", p.Alpha, 2 + p.Step / 1e5), Layer("fc2", p.Step == 3000 ? null : p.Alpha / 2, 3)],
            }).ToList(),
    };

    [Test]
    public void TheChartDrawsTheSeriesWithAGapWhereTheMetricIsUndefined()
    {
        var points = Sample().Series("fc2", "alpha");

        var plot = TrajectoryChart.Create(new TrajectoryChart.Input("fc2", "alpha", points, [], [], LogStep: false));

        var curves = plot.GetPlottables().OfType<ScottPlot.Plottables.Scatter>().Select(s => s.Data.GetScatterPoints().Select(c => (c.X, c.Y)).ToArray()).ToList();
        Assert.That(curves, Is.EqualTo(new[]
        {
            new[] { (0.0, 14.45), (1000.0, 7.5) },
            new[] { (6000.0, 2.1), (500000.0, 2.6) },
        }));
    }

    [Test]
    public void TheLogStepAxisIsLog10OfOnePlusTheStep()
    {
        var plot = TrajectoryChart.Create(new TrajectoryChart.Input("fc1", "alpha", Sample().Series("fc1", "alpha"), [], [], LogStep: true));

        var xs = plot.GetPlottables().OfType<ScottPlot.Plottables.Scatter>().Single().Data.GetScatterPoints().Select(c => c.X);
        Assert.That(xs, Is.EqualTo(new[] { 0, Math.Log10(1001), Math.Log10(3001), Math.Log10(6001), Math.Log10(500001) }).Within(1e-12));
    }

    [Test]
    public void TheBandIsDrawnBehindTheCurveAndMarksSitOnIt()
    {
        TrajectoryBandPoint[] band = [new(0, 20, 30), new(6000, 3, 5)];
        TrajectoryMark[] marks = [new("fc1", "alpha", 6000, "jump"), new("fc1", "alpha", 42, "gate")];

        var plottables = TrajectoryChart.Create(new TrajectoryChart.Input("fc1", "alpha", Sample().Series("fc1", "alpha"), band, marks, LogStep: false)).GetPlottables().ToList();

        int fill = plottables.FindIndex(p => p is ScottPlot.Plottables.FillY);
        int curve = plottables.FindIndex(p => p is ScottPlot.Plottables.Scatter);
        var marker = plottables.OfType<ScottPlot.Plottables.Marker>().Single();
        var line = plottables.OfType<ScottPlot.Plottables.VerticalLine>().Single();
        Assert.Multiple(() =>
        {
            Assert.That(fill, Is.LessThan(curve), "the band is added first, so it is drawn behind");
            Assert.That((marker.X, marker.Y), Is.EqualTo((6000.0, 4.2)), "a mark sits on the curve at its step");
            Assert.That(line.X, Is.EqualTo(42.0), "a step without a value is marked by a line");
            Assert.That(plottables.OfType<ScottPlot.Plottables.Text>().Select(t => t.LabelText), Is.EqualTo(new[] { "jump" }));
        });
    }

    [Test]
    public void TheReportWritesAnHtmlPageWithAnSvgPerChartAndThePngsTheSameBytesEachTime()
    {
        string a = TestPaths.NewScratchFolder(), b = TestPaths.NewScratchFolder();

        TrajectoryReport.Write(a, Sample(), ["alpha", "stable_rank", "kappa"], logStep: true);
        TrajectoryReport.Write(b, Sample(), ["alpha", "stable_rank", "kappa"], logStep: true);

        string html = File.ReadAllText(Path.Combine(a, TrajectoryReport.HtmlFile));
        var files = Directory.GetFiles(a).Select(f => Path.GetFileName(f)).Order(StringComparer.Ordinal).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(files, Is.EqualTo(new[] { "fc1.alpha.png", "fc1.stable_rank.png", "fc2.alpha.png", "fc2.stable_rank.png", TrajectoryReport.HtmlFile }));
            foreach (string file in files)
                Assert.That(File.ReadAllBytes(Path.Combine(b, file)), Is.EqualTo(File.ReadAllBytes(Path.Combine(a, file))), file);
            Assert.That(html.Split("<svg").Length - 1, Is.EqualTo(4));
            Assert.That(html, Does.Contain("No values for kappa"));
            Assert.That(File.ReadAllBytes(Path.Combine(a, "fc1.alpha.png"))[..4], Is.EqualTo(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }));
        });
    }

    [Test]
    public void TheSvgHoldsOnePointPerStepPlacedInProportionToTheStep()
    {
        var points = Sample().Series("fc1", "alpha");

        string svg = TrajectoryChart.Svg(new TrajectoryChart.Input("fc1", "alpha", points, [], [], LogStep: false));

        // The data points are the ellipses inside the plot's clip group (the legend draws one more, outside it).
        string data = svg[svg.IndexOf("clip-path=\"url(#c_cl_1)\"", StringComparison.Ordinal)..];
        data = data[..data.IndexOf("</g>", StringComparison.Ordinal)];
        var cx = System.Text.RegularExpressions.Regex.Matches(data, "<ellipse cx=\"([0-9.]+)\" cy=\"([0-9.]+)\"")
            .Select(m => (X: double.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture), Y: double.Parse(m.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture))).ToList();
        Assert.That(cx, Has.Count.EqualTo(points.Count));
        // Pixel x is linear in the step and pixel y linear (downwards) in the value: each point's relative position is the data's.
        for (int i = 1; i < cx.Count - 1; i++)
        {
            Assert.That((cx[i].X - cx[0].X) / (cx[^1].X - cx[0].X), Is.EqualTo((double)points[i].Step / points[^1].Step).Within(1e-4), $"x of step {points[i].Step}");
            Assert.That((cx[i].Y - cx[0].Y) / (cx[^1].Y - cx[0].Y), Is.EqualTo((points[i].Value!.Value - points[0].Value!.Value) / (points[^1].Value!.Value - points[0].Value!.Value)).Within(1e-4), $"y of step {points[i].Step}");
        }
    }

    [Test]
    public void SvgClipIdsAreNumberedPerChartSoTheSameChartIsTheSameText()
    {
        var input = new TrajectoryChart.Input("fc1", "alpha", Sample().Series("fc1", "alpha"), [], [], LogStep: false);

        string first = TrajectoryChart.Svg(input, "c1"), second = TrajectoryChart.Svg(input, "c1");

        Assert.That(second, Is.EqualTo(first));
        Assert.That(first, Does.Contain("id=\"c1_cl_1\"").And.Not.Match(@"\bcl_[0-9A-Za-z]"));
    }
}
