using SpectralGate.Engine.Matrices;
using SpectralGate.Engine.Metrics;
using SpectralGate.Engine.Probes;
using SpectralGate.Engine.Signatures;
using SpectralGate.Engine.Sources;
using SpectralGate.Engine.Sources.Safetensors;
using SpectralGate.Engine.Sources.TorchSharp;
using SpectralGate.Engine.Trajectories;
using SpectralGate.Engine.Training;
using SpectralGate.Tests.Support;
using static TorchSharp.torch;

namespace SpectralGate.Engine.Tests.Training;

public class SpectralMonitorTests
{
    private static byte[] LayerBytes(IReadOnlyList<LayerSignature> layers) => SignatureJson.ToBytes(new SpectralSignature
    {
        Model = new ModelInfo("layers", "none", "0", 0), Settings = new SortedDictionary<string, string>(), Layers = layers, Skipped = [],
    });

    /// <summary>The full records of a trajectory as trajectory JSON, their source and hash left out (live has none, a checkpoint its file's).</summary>
    private static byte[] FullRecordBytes(Trajectory trajectory) => TrajectoryJson.ToBytes(new Trajectory
    {
        Settings = trajectory.Settings,
        Records = trajectory.Records.Where(r => r.Tier == TrajectoryTiers.Full)
            .Select(r => new TrajectoryRecord { Step = r.Step, Source = "-", Tier = r.Tier, Layers = r.Layers }).ToList(),
    });

    [Test]
    public void ALiveTrajectoryInExactModeEqualsTheTrajectoryOfCheckpointsSavedAtTheSameSteps()
    {
        using var model = new Mlp(24, 16, 10, seed: 1);
        using var training = new Regression(model, 24, 10);
        using var monitor = new SpectralMonitor(model, new MonitorOptions { Every = 4, FullEvery = 2, LogSpacedEarly = true, Budget = 1 });
        string folder = TestPaths.NewScratchFolder();
        for (long step = 0; step <= 24; step++)
        {
            // Saved after the record: the monitor's copy, not the live weights, is what it analyses.
            if (monitor.Record(step) && monitor.Schedule.IsFull(step))
            {
                if (step == 8) model.save(Path.Combine(folder, $"step-{step}.dat")); // TorchSharp's own format too
                else SafetensorsWriter.Write(Path.Combine(folder, $"step-{step}.safetensors"), model);
            }
            training.Step();
        }
        Trajectory live = monitor.Complete();
        var checkpoints = CheckpointSeries.Discover([folder]).Checkpoints;
        Trajectory series = TrajectoryBuilder.Build(checkpoints, new SignatureOptions()).Trajectory;

        Assert.Multiple(() =>
        {
            Assert.That(live.Records.Where(r => r.Tier == TrajectoryTiers.Full).Select(r => r.Step), Is.EqualTo(new long[] { 0, 8, 16, 24 }));
            Assert.That(series.Records.Select(r => r.Step), Is.EqualTo(new long[] { 0, 8, 16, 24 }));
            Assert.That(FullRecordBytes(live), Is.EqualTo(FullRecordBytes(series)));
            Assert.That(live.Records.Where(r => r.Tier == TrajectoryTiers.Full).Select(r => r.Layers[0].Fingerprint).Distinct().Count(), Is.EqualTo(4),
                "training moved the weights between records");
        });
    }

    [Test]
    public void CheapRecordsCarryNormsSpectralNormStableRankAndUpdateNormsAgainstExactValues()
    {
        using var model = new Mlp(24, 16, 10, seed: 2);
        using var training = new Regression(model, 24, 10);
        using var monitor = new SpectralMonitor(model, new MonitorOptions { Every = 3, FullEvery = 0, LogSpacedEarly = false, Budget = 1, PowerIterationTolerance = 1e-12, PowerIterationLimit = 5000 });
        var weights = new Dictionary<long, Tensor>();
        for (long step = 0; step <= 6; step++)
        {
            if (monitor.Record(step)) weights[step] = model.get_parameter("fc1.weight")!.detach().to(ScalarType.Float64, copy: true);
            training.Step();
        }
        var cheap = monitor.Complete().Records.Where(r => r.Tier == TrajectoryTiers.Cheap).ToList();

        Assert.That(cheap.Select(r => r.Step), Is.EqualTo(new long[] { 0, 3, 6 }));
        Assert.Multiple(() =>
        {
            foreach (var record in cheap)
            {
                var layer = record.Layer("fc1.weight")!;
                var w = weights[record.Step];
                double sigma = linalg.svdvals(w)[0].item<double>(), frobenius = w.square().sum().sqrt().item<double>();
                Assert.That(layer[MetricNames.SpectralNorm], Is.EqualTo(sigma).Within(1e-8).Percent, $"σ_max at {record.Step}");
                Assert.That(layer[MetricNames.FrobeniusNorm], Is.EqualTo(frobenius).Within(1e-10).Percent);
                Assert.That(layer[MetricNames.StableRank], Is.EqualTo(frobenius * frobenius / (sigma * sigma)).Within(1e-7).Percent);
                Assert.That(layer.Kind, Is.EqualTo(LayerKind.Linear));
                if (record.Step == 0)
                {
                    Assert.That(layer.Metrics[MetricNames.UpdateSpectralNorm], Is.Null, "no update before the first record");
                    continue;
                }
                var delta = w - weights[record.Step - 3];
                Assert.That(layer[MetricNames.UpdateSpectralNorm], Is.EqualTo(linalg.svdvals(delta)[0].item<double>()).Within(1e-8).Percent);
                Assert.That(layer[MetricNames.UpdateFrobeniusNorm], Is.EqualTo(delta.square().sum().sqrt().item<double>()).Within(1e-10).Percent);
            }
            Assert.That(cheap[0].Layers.Select(l => l.Name), Is.EqualTo(new[] { "fc1.weight", "fc2.weight" }), "biases are no matrices");
        });
    }

    [Test]
    public void RecordReturnsFalseOffScheduleAndStepsMustIncrease()
    {
        using var model = new Mlp(24, 16, 10, seed: 3);
        using var monitor = new SpectralMonitor(model, new MonitorOptions { Every = 10, Budget = 1 });

        Assert.Multiple(() =>
        {
            Assert.That(monitor.Record(0), Is.True);
            Assert.That(monitor.Record(3), Is.False);
            Assert.That(monitor.Record(4), Is.True);
            Assert.Throws<ArgumentException>(() => monitor.Record(4));
            Assert.That(monitor.Report.CheapRecords, Is.EqualTo(2));
        });
    }

    [Test]
    public void TheSelectionFollowsInspectsGlobsAndRefusesAGlobThatMatchesNothing()
    {
        using var model = new Mlp(24, 16, 10, seed: 4);
        var include = new TensorSelection { Include = ["fc2.*"] };
        using var monitor = new SpectralMonitor(model, new MonitorOptions { Signature = new SignatureOptions { Selection = include }, Budget = 1 });

        Assert.That(monitor.Tensors, Is.EqualTo(new[] { "fc2.weight" }));
        var typo = new TensorSelection { Include = ["fc3.*"] };
        var error = Assert.Throws<Errors.NothingAnalysedException>(() => new SpectralMonitor(model, new MonitorOptions { Signature = new SignatureOptions { Selection = typo } }));
        Assert.That(error!.Message, Does.Contain("fc3.*"));
    }

    [Test]
    public void RecordNowRecordsOffScheduleWithScalarsAndTheFullSignature()
    {
        using var model = new Mlp(24, 16, 10, seed: 5);
        using var monitor = new SpectralMonitor(model, new MonitorOptions { Every = 100, FullEvery = 0, Budget = 1 });

        monitor.RecordNow(37, new Dictionary<string, double> { ["train_loss"] = 0.25 });
        var records = monitor.Complete().Records;

        Assert.Multiple(() =>
        {
            Assert.That(records.Select(r => (r.Step, r.Tier)), Is.EqualTo(new[] { (37L, TrajectoryTiers.Cheap), (37L, TrajectoryTiers.Full) }));
            Assert.That(records.All(r => r.Scalars["train_loss"] == 0.25 && r.Source == SpectralMonitor.LiveSource), Is.True);
        });
    }

    [Test]
    public void ProbesAddActivationLayersToCheapRecordsAndLeaveTheModelInTrainingMode()
    {
        using var model = new Mlp(24, 16, 10, seed: 6);
        using var training = new Regression(model, 24, 10);
        var probes = new MonitorProbes { Modules = ["fc1", "act"], Pairs = [("fc1", "act")], Calibrate = () => model.call(training.Calibration) };
        using var monitor = new SpectralMonitor(model, new MonitorOptions { Every = 2, FullEvery = 0, LogSpacedEarly = false, Budget = 1, Probes = probes });
        model.train();

        for (long step = 0; step <= 4; step++)
        {
            monitor.Record(step);
            training.Step();
        }
        var records = monitor.Complete().Records;

        Assert.Multiple(() =>
        {
            Assert.That(model.training, Is.True);
            Assert.That(monitor.Report.ProbeRecords, Is.EqualTo(3));
            foreach (var record in records)
            {
                var act = record.Layer(ActivationProbe.Prefix + "act");
                Assert.That(act, Is.Not.Null, $"step {record.Step}");
                Assert.That(act!.Kind, Is.EqualTo(LayerKind.Activation));
                Assert.That(act[ProbeMetricNames.ParticipationRatio], Is.InRange(1.0, 16.0));
                Assert.That(act[ProbeMetricNames.JsDivergence], Is.Not.Null);
            }
        });
    }

    [Test]
    public void AProbeOnAModelThatCallsForwardIsAnErrorNamingTheModuleAndTheFix()
    {
        using var model = new Mlp(24, 16, 10, seed: 7, throughCall: false);
        using var x = randn(8, 24);
        var probes = new MonitorProbes { Modules = ["fc1"], Calibrate = () => model.call(x) };
        using var monitor = new SpectralMonitor(model, new MonitorOptions { Budget = 1, Probes = probes });

        var error = Assert.Throws<HooksNeverFiredException>(() => monitor.Record(0));

        Assert.Multiple(() =>
        {
            Assert.That(error!.Modules, Is.EqualTo(new[] { "fc1" }));
            Assert.That(error.Message, Does.Contain("'fc1'").And.Contain("fc1.call(x)").And.Contain("not Module.forward(x)"));
        });
    }

    [Test]
    public void OverBudgetTheMonitorDropsWorkAndListsEveryDrop()
    {
        // Every measured piece of monitor work costs 1 ms on this clock; a training step costs 10 ms: 1 % allows a
        // record of ~3 ms only every few dozen steps.
        var clock = new FakeClock { PerRead = TimeSpan.FromMilliseconds(1) };
        using var model = new Mlp(24, 16, 10, seed: 8);
        using var monitor = new SpectralMonitor(model, new MonitorOptions { Every = 1, FullEvery = 5, LogSpacedEarly = false, Budget = 0.01, Clock = clock });

        for (long step = 0; step < 400; step++)
        {
            monitor.Record(step);
            clock.Advance(TimeSpan.FromMilliseconds(10));
        }
        var trajectory = monitor.Complete();
        var report = monitor.Report;

        var cheapSteps = trajectory.Records.Where(r => r.Tier == TrajectoryTiers.Cheap).Select(r => r.Step).ToHashSet();
        var fullSteps = trajectory.Records.Where(r => r.Tier == TrajectoryTiers.Full).Select(r => r.Step).ToHashSet();
        var droppedCheap = report.Dropped.Where(d => d.Tier == TrajectoryTiers.Cheap).Select(d => d.Step).ToHashSet();
        var droppedFull = report.Dropped.Where(d => d.Tier == TrajectoryTiers.Full).Select(d => d.Step).ToHashSet();
        Assert.Multiple(() =>
        {
            Assert.That(cheapSteps.Count, Is.GreaterThan(5).And.LessThan(100), "some records kept, most dropped");
            for (long step = 0; step < 400; step++)
            {
                Assert.That(cheapSteps.Contains(step) ^ droppedCheap.Contains(step), Is.True, $"step {step} is recorded or listed as dropped, never both or neither");
                if (step % 5 == 0) Assert.That(fullSteps.Contains(step) ^ droppedFull.Contains(step), Is.True, $"full step {step}");
            }
            Assert.That(fullSteps.IsSubsetOf(cheapSteps), Is.True, "a full record never replaces the cheap one");
            Assert.That(report.Dropped.First(d => d.Tier == TrajectoryTiers.Cheap).Reason, Does.StartWith("over budget"));
            Assert.That(report.OverheadFraction, Is.LessThan(0.02), report.ToString);
        });
    }

    [Test]
    public void UnderABudgetTheFirstFullRecordWaitsForAnEstimateAndRecordNowIgnoresTheBudget()
    {
        var clock = new FakeClock { PerRead = TimeSpan.FromMilliseconds(1) };
        using var model = new Mlp(24, 16, 10, seed: 8);
        using var monitor = new SpectralMonitor(model, new MonitorOptions { Every = 10, FullEvery = 1, Budget = 0.01, Clock = clock });

        monitor.Record(0);
        monitor.RecordNow(1);
        var report = monitor.Report;

        Assert.Multiple(() =>
        {
            Assert.That(report.Dropped.Single().Tier, Is.EqualTo(TrajectoryTiers.Full));
            Assert.That(report.Dropped.Single().Reason, Does.Contain("cannot be estimated").And.Contain("RecordNow"));
            Assert.That(monitor.Trajectory.Records.Select(r => (r.Step, r.Tier)),
                Is.EqualTo(new[] { (0L, TrajectoryTiers.Cheap), (1L, TrajectoryTiers.Cheap), (1L, TrajectoryTiers.Full) }));
        });
    }

    [Test]
    public void AnUnlimitedBudgetDropsNothing()
    {
        var clock = new FakeClock { PerRead = TimeSpan.FromMilliseconds(1) };
        using var model = new Mlp(24, 16, 10, seed: 8);
        using var monitor = new SpectralMonitor(model, new MonitorOptions { Every = 1, FullEvery = 5, Budget = 1, Clock = clock });

        for (long step = 0; step < 20; step++) monitor.Record(step);

        Assert.Multiple(() =>
        {
            Assert.That(monitor.Report.Dropped, Is.Empty);
            Assert.That(monitor.Report.CheapRecords, Is.EqualTo(20));
            Assert.That(monitor.Report.FullRecords, Is.EqualTo(4));
        });
    }

    [Test]
    public void ABackgroundWorkerRecordsTheSameBytesAsInline()
    {
        byte[] Run(bool background)
        {
            using var model = new Mlp(24, 16, 10, seed: 9);
            using var training = new Regression(model, 24, 10);
            using var monitor = new SpectralMonitor(model, new MonitorOptions { Every = 2, FullEvery = 2, Budget = 1, Background = background, QueueCapacity = 1 });
            for (long step = 0; step <= 12; step++)
            {
                monitor.Record(step);
                training.Step();
            }
            return monitor.Complete().Records.SelectMany(r => LayerBytes(r.Layers)).ToArray();
        }

        Assert.That(Run(background: true), Is.EqualTo(Run(background: false)));
    }

    [Test]
    public void RecordsAreByteIdenticalAtOneAndTwoThreads()
    {
        // 1100 inputs, 256 calibration rows: products and sums large enough for libtorch to split across threads. The
        // training runs on one thread, so both runs see the same weights; only the monitor's thread count differs.
        byte[] Run(int threads)
        {
            int saved = get_num_threads();
            try
            {
                set_num_threads(1);
                using var model = new Mlp(1100, 300, 10, seed: 10);
                using var training = new Regression(model, 1100, 10, batch: 256, lr: 0.01);
                var probes = new MonitorProbes { Modules = ["fc1", "act"], Calibrate = () => model.call(training.Calibration) };
                using var monitor = new SpectralMonitor(model, new MonitorOptions { Every = 2, FullEvery = 2, LogSpacedEarly = false, Budget = 1, Probes = probes });
                for (long step = 0; step <= 2; step++)
                {
                    set_num_threads(threads);
                    monitor.Record(step);
                    Assert.That(get_num_threads(), Is.EqualTo(threads), "the caller's thread count is restored");
                    set_num_threads(1);
                    training.Step();
                }
                return monitor.Complete().Records.SelectMany(r => LayerBytes(r.Layers)).ToArray();
            }
            finally
            {
                set_num_threads(saved);
            }
        }

        Assert.That(Run(2), Is.EqualTo(Run(1)));
    }
}
