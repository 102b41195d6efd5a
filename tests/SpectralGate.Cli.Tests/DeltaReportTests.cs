using SpectralGate.Cli.Reports;
using SpectralGate.Engine.Deltas;
using SpectralGate.Engine.Sources.Safetensors;
using SpectralGate.Tests.Support;
using static TorchSharp.torch;

namespace SpectralGate.Cli.Tests;

/// <summary><c>diff --delta --report DIR</c>: the chart holds both series, per layer, with the delta's values.</summary>
public class DeltaReportTests
{
    private static (string Base, string Tuned) Models()
    {
        var w = DeltaFixtures.Gaussian(48, 32, seed: 1);
        // a.weight moves by U·diag(5, 3, 2)·Vᵀ: ΔW's stable rank is (25 + 9 + 4)/25 = 1.52; b.weight is unchanged.
        var update = DeltaFixtures.Orthonormal(48, 3, seed: 2).matmul(diag(tensor(new[] { 5.0, 3, 2 }))).matmul(DeltaFixtures.Orthonormal(32, 3, seed: 3).t());
        return (DeltaFixtures.Checkpoint(("a.weight", w), ("b.weight", w)), DeltaFixtures.Checkpoint(("a.weight", w + update), ("b.weight", w)));
    }

    [Test]
    public void TheChartHoldsTheRelativeChangeAndTheStableRankOfEachLayer()
    {
        var (basePath, tuned) = Models();
        DeltaSignature delta;
        using (var b = new SafetensorsFileSource(basePath))
        using (var t = new SafetensorsFileSource(tuned))
            delta = DeltaEngine.Compute(b, t);

        var bars = DeltaChart.Create(delta).GetPlottables().OfType<ScottPlot.Plottables.BarPlot>().ToDictionary(p => p.LegendText);

        Assert.Multiple(() =>
        {
            Assert.That(bars.Keys, Is.EquivalentTo(new[] { DeltaChart.RelativeChangeSeries, DeltaChart.StableRankSeries }));
            Assert.That(bars[DeltaChart.RelativeChangeSeries].Bars.Select(x => x.Value),
                Is.EqualTo(new[] { delta.Layer("a.weight")![DeltaMetricNames.RelativeChange]!.Value, 0 }));
            Assert.That(bars[DeltaChart.StableRankSeries].Bars.Select(x => x.Value), Is.EqualTo(new[] { 1.52, 0 }).Within(1e-9));
        });
    }

    [Test]
    public void DiffDeltaReportWritesTheChartAndTheTable()
    {
        var (basePath, tuned) = Models();
        string folder = TestPaths.NewScratchFolder();

        var result = CliRunner.Run("diff", basePath, tuned, "--delta", "--report", folder);

        Assert.That(result.ExitCode, Is.EqualTo(0), result.Output + result.Error);
        byte[] png = File.ReadAllBytes(Path.Combine(folder, DeltaReport.ChartFile));
        string md = File.ReadAllText(Path.Combine(folder, DeltaReport.MarkdownFile));
        Assert.Multiple(() =>
        {
            Assert.That(png[..4], Is.EqualTo(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }));
            Assert.That(md, Does.Contain("| a.weight | changed |").And.Contain("| 1.52 |").And.Contain("| b.weight | unchanged |").And.Contain("](delta.png)"));
        });
    }

    [Test]
    public void ReportWithoutDeltaIsRefused()
    {
        var (basePath, tuned) = Models();

        var result = CliRunner.Run("diff", basePath, tuned, "--report", TestPaths.NewScratchFolder());

        Assert.That(result.ExitCode, Is.EqualTo(2));
        Assert.That(result.Error, Does.Contain("--report applies to --delta only"));
    }
}
