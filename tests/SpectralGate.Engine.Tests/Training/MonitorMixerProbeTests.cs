using SpectralGate.Engine.Matrices;
using SpectralGate.Engine.Probes;
using SpectralGate.Engine.Trajectories;
using SpectralGate.Engine.Training;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SpectralGate.Engine.Tests.Training;

/// <summary>The monitor records <c>probe:mixer/...</c> layers over training when <see cref="MonitorProbes.Mixers"/> names the mixer modules.</summary>
public class MonitorMixerProbeTests
{
    /// <summary>Outputs s·I per token: the planted mixer whose scale a test moves step by step.</summary>
    private sealed class ScaledMixer(int streams) : nn.Module<Tensor, Tensor>("scaled_mixer")
    {
        public double Scale { get; set; } = 1;

        public override Tensor forward(Tensor streamsIn) => eye(streams).expand(streamsIn.shape[0], streams, streams) * Scale;
    }

    /// <summary>A linear read-in to n = 4 streams of width 4, then three hyper-connection mixers x ← H x, each run through <c>call</c>.</summary>
    private sealed class GrowingHyperConnections : nn.Module<Tensor, Tensor>
    {
        private readonly Linear input;
        private readonly ModuleList<ScaledMixer> blocks;

        public GrowingHyperConnections() : base(nameof(GrowingHyperConnections))
        {
            manual_seed(3);
            input = nn.Linear(24, 16);
            blocks = nn.ModuleList(new ScaledMixer(4), new ScaledMixer(4), new ScaledMixer(4));
            RegisterComponents();
        }

        public double Scale
        {
            set
            {
                foreach (var block in blocks) block.Scale = value;
            }
        }

        public override Tensor forward(Tensor x)
        {
            var h = input.call(x).view(-1, 4, 4);
            foreach (var block in blocks) h = block.call(h).matmul(h);
            return h;
        }
    }

    [Test]
    public void TheCompositeGainOfAMixerWhoseScaleGrowsWithTrainingGrowsInTheTrajectory()
    {
        using var model = new GrowingHyperConnections();
        using var calibration = randn(6, 24);
        var probes = new MonitorProbes { Mixers = ["blocks.0", "blocks.1", "blocks.2"], Calibrate = () => model.call(calibration) };
        using var monitor = new SpectralMonitor(model, new MonitorOptions { Every = 2, FullEvery = 0, LogSpacedEarly = false, Budget = 1, Probes = probes });

        for (long step = 0; step <= 8; step++)
        {
            model.Scale = 1 + 0.1 * step;
            monitor.Record(step);
        }
        Trajectory trajectory = monitor.Complete();
        var gain = trajectory.Series(MixerProbe.Prefix + "blocks.2", ProbeMetricNames.CompositeGain, TrajectoryTiers.Cheap);
        var firstGain = trajectory.Series(MixerProbe.Prefix + "blocks.0", ProbeMetricNames.CompositeGain, TrajectoryTiers.Cheap);

        Assert.Multiple(() =>
        {
            Assert.That(gain.Select(p => p.Step), Is.EqualTo(new long[] { 0, 2, 4, 6, 8 }));
            // Three mixers s·I: the product at the last is s³ per token.
            Assert.That(gain.Select(p => p.Value), Is.EqualTo(new[] { 0L, 2, 4, 6, 8 }.Select(s => Math.Pow(1 + 0.1 * s, 3))).Within(1e-5));
            Assert.That(firstGain.Select(p => p.Value), Is.EqualTo(new[] { 0L, 2, 4, 6, 8 }.Select(s => 1 + 0.1 * s)).Within(1e-6));
            Assert.That(trajectory.Records.Single(r => r.Step == 8).Layer(MixerProbe.Prefix + "blocks.1")!.Kind, Is.EqualTo(LayerKind.Mixer));
            Assert.That(monitor.Report.ProbeRecords, Is.EqualTo(5));
        });
    }

    [Test]
    public void MixerModulesAloneAreEnoughForTheMonitorsProbes()
    {
        using var model = new GrowingHyperConnections();
        using var calibration = randn(2, 24);

        Assert.That(() => new SpectralMonitor(model, new MonitorOptions { Probes = new MonitorProbes { Calibrate = () => model.call(calibration) } }),
            Throws.ArgumentException.With.Message.Contains("Mixers"));
        Assert.That(() => new SpectralMonitor(model, new MonitorOptions { Probes = new MonitorProbes { Mixers = ["blocks.0"], Calibrate = () => model.call(calibration) } }).Dispose(),
            Throws.Nothing);
    }
}
