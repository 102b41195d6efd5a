using SpectralGate.Engine.Metrics;
using SpectralGate.Engine.Signatures;

namespace SpectralGate.Cli.Reports;

/// <summary>
/// WeightWatcher's ESD plot: a log-log histogram of a layer's eigenvalues, with the Marchenko–Pastur bulk edge and the
/// fitted power law (from xmin, slope −alpha) drawn in; with a baseline, the baseline's ESD from its quantile summary
/// (<c>esd_quantiles</c>) overlaid, so a report shows what moved.
/// </summary>
internal static class EsdPlot
{
    public const string ActualLegend = "actual ESD";
    public const string BaselineLegend = "baseline ESD";

    public static byte[] Png(LayerSignature layer, double[] eigenvalues, IReadOnlyList<double>? baselineQuantiles = null, int width = 520, int height = 340) =>
        Build(layer, eigenvalues, baselineQuantiles).GetImageBytes(width, height, ScottPlot.ImageFormat.Png);

    /// <summary>An inline &lt;svg&gt; element for HTML: sharp at any zoom, and its legend is text.</summary>
    public static string Svg(LayerSignature layer, double[] eigenvalues, IReadOnlyList<double>? baselineQuantiles = null, int width = 520, int height = 340) =>
        Build(layer, eigenvalues, baselineQuantiles).GetSvgHtml(width, height);

    private static ScottPlot.Plot Build(LayerSignature layer, double[] eigenvalues, IReadOnlyList<double>? baselineQuantiles)
    {
        var positive = eigenvalues.Where(l => l > 0).ToArray();
        var plot = new ScottPlot.Plot();
        plot.Title(layer.Name);
        plot.XLabel("log10 λ");
        plot.YLabel("log10 density");
        if (positive.Length >= 2)
        {
            double lo = Math.Log10(positive.Min()), hi = Math.Log10(positive.Max());
            if (hi - lo < 1e-9) hi = lo + 1;
            const int bins = 40;
            double width10 = (hi - lo) / bins;
            var counts = new double[bins];
            foreach (double l in positive) counts[Math.Min(bins - 1, (int)((Math.Log10(l) - lo) / width10))]++;
            var xs = new List<double>();
            var ys = new List<double>();
            for (int b = 0; b < bins; b++)
            {
                if (counts[b] == 0) continue;
                double left = Math.Pow(10, lo + b * width10), right = Math.Pow(10, lo + (b + 1) * width10);
                xs.Add(lo + (b + 0.5) * width10);
                ys.Add(Math.Log10(counts[b] / (positive.Length * (right - left))));
            }
            var bars = plot.Add.Scatter(xs.ToArray(), ys.ToArray());
            bars.LegendText = baselineQuantiles is null ? "ESD" : ActualLegend;
            bars.LineWidth = 0;
            bars.MarkerSize = 6;

            if (layer[MetricNames.MpBulkMax] is double bulk && bulk > 0)
            {
                var edge = plot.Add.VerticalLine(Math.Log10(bulk));
                edge.LegendText = "MP bulk edge";
                edge.LinePattern = ScottPlot.LinePattern.Dashed;
            }
            if (layer[MetricNames.Alpha] is double alpha && layer[MetricNames.Xmin] is double xmin && xmin > 0)
            {
                // p(λ) = (α−1)/xmin · (λ/xmin)^−α, scaled by the tail's share of the eigenvalues.
                double share = positive.Count(l => l >= xmin) / (double)positive.Length;
                double x0 = Math.Log10(xmin), x1 = hi;
                double y(double x) => Math.Log10(share * (alpha - 1) / xmin) - alpha * (x - x0);
                var fit = plot.Add.Line(x0, y(x0), x1, y(x1));
                fit.LegendText = $"power law α = {alpha:0.00}";
            }
            if (baselineQuantiles is not null && QuantileDensity(baselineQuantiles) is { Xs.Length: > 0 } density)
            {
                var line = plot.Add.Scatter(density.Xs, density.Ys);
                line.LegendText = BaselineLegend;
                line.MarkerSize = 0;
                line.LineWidth = 2;
            }
            plot.ShowLegend();
        }
        return plot;
    }

    /// <summary>
    /// The density in λ that a quantile summary describes, on the histogram's axes: each interval between neighbouring
    /// quantiles holds 1/(K−1) of the eigenvalues, so its density is that share over its width; drawn at its log-midpoint.
    /// </summary>
    private static (double[] Xs, double[] Ys) QuantileDensity(IReadOnlyList<double> q)
    {
        var xs = new List<double>();
        var ys = new List<double>();
        for (int k = 0; k + 1 < q.Count; k++)
        {
            if (!(q[k + 1] > q[k]) || q[k] <= 0) continue; // tied quantiles: a point mass, no finite density
            xs.Add((Math.Log10(q[k]) + Math.Log10(q[k + 1])) / 2);
            ys.Add(Math.Log10(1.0 / (q.Count - 1) / (q[k + 1] - q[k])));
        }
        return (xs.ToArray(), ys.ToArray());
    }
}
