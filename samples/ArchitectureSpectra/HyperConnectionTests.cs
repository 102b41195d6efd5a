using SpectralGate.Engine.Metrics;
using SpectralGate.Engine.Probes;
using TorchSharp;
using static TorchSharp.torch;

namespace ArchitectureSpectra;

public class HyperConnectionTests
{
    [Test]
    public void SinkhornMixersStayDoublyStochasticAndTheirProductAverages()
    {
        torch.manual_seed(3);
        var blocks = Enumerable.Range(0, 12).Select(_ => new SinkhornMixerBlock()).ToList();
        var x = randn(8, 4, 16);
        using (no_grad()) foreach (var b in blocks) x = b.forward(x);

        foreach (var block in blocks)
        {
            var metrics = MixerMetrics.Of(block.Mixer());
            Assert.That(metrics[ProbeMetricNames.RowSumError], Is.LessThan(1e-3));
            Assert.That(metrics[ProbeMetricNames.ColumnSumError], Is.LessThan(1e-5));
            Assert.That(metrics[ProbeMetricNames.MinEntry], Is.GreaterThan(0));
            Assert.That(metrics[MetricNames.SpectralNorm], Is.EqualTo(1).Within(1e-3), "doubly stochastic: spectral norm 1");
        }
        Assert.That(MixerMetrics.ProductUniformDistance(blocks.Select(b => b.Mixer())), Is.LessThan(0.05));
    }

    [Test]
    public void AFreeMixerHasNoSuchGuarantee()
    {
        torch.manual_seed(3);
        var block = new FreeMixerBlock();
        var h = block.named_parameters().Single(p => p.name == "H").parameter;
        var metrics = MixerMetrics.Of(h);
        TestContext.Out.WriteLine($"free mixer: spectral norm {metrics[MetricNames.SpectralNorm]:0.###}, row-sum error {metrics[ProbeMetricNames.RowSumError]:0.###}");

        Assert.That(metrics[ProbeMetricNames.RowSumError], Is.GreaterThan(1e-3));
    }
}
