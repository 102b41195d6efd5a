using NUnit.Framework.Constraints;
using NUnit.Framework.Internal;
using SpectralAssert.Trajectories;
using SpectralGate.Engine.Metrics;
using SpectralGate.Engine.Trajectories;
using SpectralGate.Engine.Trajectories.Statistics;
using static SpectralGate.Tests.Support.TestTrajectories;

namespace SpectralAssert.Tests.Trajectories;

public class TrainingConstraintTests
{
    private const string Alpha = MetricNames.Alpha;

    /// <summary>WW #307 as fc1's alpha; fc2 settles cleanly (30 → 3.5, then flat); head is undefined early.</summary>
    private static readonly Trajectory Run = Of(
        ("blocks.0.fc1.weight", [64, 32], Alpha, Points(WeightWatcher307)),
        ("blocks.0.fc2.weight", [32, 64], Alpha, Points(WeightWatcher307.Select(p => (p.Step, p.Step <= 6_000 ? p.Alpha * 0.8 : 3.5)))));

    private static string Message(ConstraintResult result)
    {
        var writer = new TextMessageWriter();
        result.WriteMessageTo(writer);
        return writer.ToString();
    }

    [Test]
    public void AnEndpointInsideItsBandPasses() =>
        Assert.That(Run, Training.Layers("blocks.*.fc*.weight").Alpha.EndsWithin(2, 6));

    [Test]
    public void AnEndpointFailureNamesLayerMetricStepValueAndBound()
    {
        var result = Training.Layers("blocks.*.fc*.weight").Alpha.EndsWithin(2, 5, lastRecords: 3).ApplyTo(Run);

        Assert.That(result.IsSuccess, Is.False);
        // fc1's last three: 5.0, 5.1, 5.2: median 5.1 > 5. fc2 ends at 3.5.
        Assert.That(Message(result), Does.Contain("1 of 2 series fail (1 pass)")
            .And.Contain("blocks.0.fc1.weight  alpha: median of the last 3 records (steps 300000..500000) = 5.1  (expected in [2, 5])")
            .And.Not.Contain("blocks.0.fc2.weight  alpha"));
    }

    [Test]
    public void ACollapseAfterWarmUpFailsAtItsFirstStepAndTheWarmUpIsForgiven()
    {
        // Stable rank: 20 at step 0, collapses to 1 during warm-up (steps 100, 200), recovers to 12, collapses again at 900.
        var trajectory = Of(("fc.weight", [64, 32], MetricNames.StableRank,
            Points([(0, 20), (100, 1), (200, 1.5), (300, 12), (500, 11), (700, 12), (900, 0.4), (1_000, 0.3)])));

        var result = Training.Layers("fc.weight").StableRank.NeverBelow(2).After(step: 300).ApplyTo(trajectory);

        Assert.That(result.IsSuccess, Is.False);
        Assert.That(Message(result), Does.Contain("never below 2 from step 300 on")
            .And.Contain("fc.weight  stable_rank = 0.4 at step 900, the first record outside ≥ 2; 2 of 5 records outside (steps 300..1000)"));
        Assert.That(Training.Layers("fc.weight").StableRank.NeverBelow(2).After(step: 300).ApplyTo(Cut(trajectory, 800)).IsSuccess, Is.True);
        Assert.That(Training.Layers("fc.weight").StableRank.NeverBelow(2).ApplyTo(Cut(trajectory, 800)).IsSuccess, Is.False, "without the warm-up window step 100 fails");
    }

    [Test]
    public void AMilestoneReachedLateFailsWithTheStepItWasReached()
    {
        var late = Training.Layers("blocks.0.fc1.weight").Alpha.ReachesAtMost(4.4).By(step: 3_000).ApplyTo(Run);
        var never = Training.Layers("blocks.0.fc1.weight").Alpha.ReachesAtMost(4).By(step: 3_000).ApplyTo(Run);

        Assert.That(Message(late), Does.Contain("alpha first ≤ 4.4 at step 5000 (4.4), after step 3000"));
        Assert.That(Message(never), Does.Contain("alpha never ≤ 4 over 10 records up to step 500000 (closest 4.2 at step 6000)"));
        Assert.That(Run, Training.Layers("blocks.0.fc1.weight").Alpha.ReachesAtMost(4.4).By(step: 5_000));
    }

    [Test]
    public void WeightWatcher307JumpsEarlyButNotAfterItsFastPhase()
    {
        var result = Training.Layers("blocks.0.fc1.weight").Alpha.HasNoJumps().ApplyTo(Run);

        // Hand-worked in StepJumpsTests: threshold 5 × 1.4826 × 0.3 = 2.2239 over the floor 0.505; jumps into 2000, 3000, 5000.
        TestContext.Out.WriteLine(Message(result));
        Assert.That(Message(result), Does.Contain("alpha jumps -13.94 from 28.94 at step 1000 to 15 at step 2000")
            .And.Contain("> 2.2239 = max(5 × 1.4826·MAD 0.44478, floor 0.505)")
            .And.Contain("2 more (into steps 3000, 5000)"));
        Assert.That(Run, Training.Layers("blocks.0.fc1.weight").Alpha.HasNoJumps().After(step: 6_000));
    }

    [Test]
    public void ANaiveDownTrendFailsOnWeightWatcher307AndTheLateRiseIsSignificant()
    {
        var down = Training.Layers("blocks.0.fc1.weight").Alpha.Trends(TrendDirection.Down).ApplyTo(Run);
        TestContext.Out.WriteLine(Message(down));

        // S = −5, Var S = 125, Z = −0.357771, p = 0.360257 (MannKendallTests).
        Assert.That(Message(down), Does.Contain("no significant trend down: Mann–Kendall S = -5, Var S = 125, Z = -0.357771, one-sided p = 0.360257 > 0.05 over 10 records"));
        // From 6000: S = 15, p = 0.004267; Theil–Sen 0.4/300000 = 1.33333e-06 per step (TheilSenTests).
        Assert.That(Run, Training.Layers("blocks.0.fc1.weight").Alpha.Trends(TrendDirection.Up).After(step: 6_000));
        Assert.That(Message(Training.Layers("blocks.0.fc1.weight").Alpha.Trends(TrendDirection.Up).After(step: 6_000).ApplyTo(Run)),
            Does.Contain("Theil–Sen slope 1.33333E-06 per step"));
    }

    [Test]
    public void AMonotoneAndANoisyMonotoneFallTrendDown()
    {
        double[] noise = Gaussian(50, seed: 8);
        var trajectory = Of(
            ("monotone.weight", [64, 64], Alpha, Series(50, 100, 100, s => 10 - 0.001 * s)),
            ("noisy.weight", [64, 64], Alpha, Series(50, 100, 100, s => 10 - 0.001 * s + 0.6 * noise[s / 100 - 1])));

        Assert.That(trajectory, Training.AllLayers.Alpha.Trends(TrendDirection.Down, significance: 0.01));
        Assert.That(trajectory, Training.AllLayers.Alpha.HasNoJumps());
        Assert.That(trajectory, Training.AllLayers.Alpha.HasNoTransition(), "a straight fall, noisy or not, is no phase transition");
        Assert.That(Training.AllLayers.Alpha.Trends(TrendDirection.Up).ApplyTo(trajectory).IsSuccess, Is.False);
    }

    [Test]
    public void ASingleStepChangeIsATransitionInItsWindowAndJitterIsNot()
    {
        double[] noise = Gaussian(60, seed: 21);
        var trajectory = Of(
            ("step.weight", [64, 64], Alpha, Series(60, 50, 50, s => (s >= 1_650 ? 2.5 : 4.0) + 0.05 * noise[s / 50 - 1])),
            ("jitter.weight", [64, 64], Alpha, Series(60, 50, 50, s => 4.0 + 0.05 * noise[(s / 50 + 7) % 60])));

        Assert.That(trajectory, Training.Layers("step.weight").Alpha.HasTransitionBetween(1_600, 1_700));
        Assert.That(trajectory, Training.Layers("jitter.weight").Alpha.HasNoTransition());
        Assert.That(trajectory, Training.Layers("jitter.weight").Alpha.HasNoJumps());

        var outside = Training.Layers("step.weight").Alpha.HasTransitionBetween(100, 1_000).ApplyTo(trajectory);
        Assert.That(Message(outside), Does.Contain("transition outside [100, 1000]: best change at step 1650 (after step 1600) by two lines against one"));
        var unexpected = Training.Layers("step.weight").Alpha.HasNoTransition().ApplyTo(trajectory);
        TestContext.Out.WriteLine(Message(unexpected));
        Assert.That(Message(unexpected), Does.Contain("step.weight  alpha: transition: best change at step 1650").And.Contain("permutation p = 0.001 (999 shuffles; needs ≤ 0.01)"));
    }

    [Test]
    public void AScalarSeriesTakesTheSameAssertions()
    {
        var accuracy = Series(40, 100, 100, s => s >= 2_500 ? 0.97 : 0.02);
        var trajectory = new Trajectory
        {
            Settings = new SortedDictionary<string, string>(StringComparer.Ordinal),
            Records = accuracy.Select(p => new TrajectoryRecord
            {
                Step = p.Step, Source = "live", Layers = [],
                Scalars = new SortedDictionary<string, double>(StringComparer.Ordinal) { ["test_accuracy"] = p.Value!.Value },
            }).ToList(),
        };

        Assert.That(trajectory, Training.Scalar("test_accuracy").HasTransitionBetween(2_400, 2_600));
        Assert.That(trajectory, Training.Scalar("test_accuracy").ReachesAtLeast(0.9).By(step: 2_500));
        Assert.That(Message(Training.Scalar("test_loss").HasNoTransition().ApplyTo(trajectory)), Does.Contain("the scalar was never recorded. Recorded scalars: test_accuracy"));
    }

    [Test]
    public void AggregatesAreOnlyUsedWhenAskedAndNamedInTheMessage()
    {
        // The mean of fc1 (ends 5.2) and fc2 (ends 3.5) ends at 4.35; each layer alone: fc1 > 4.5 fails.
        Assert.That(Run, Training.Layers("blocks.*.fc*.weight").Alpha.Mean().EndsWithin(4, 4.5));
        var result = Training.Layers("blocks.*.fc*.weight").Alpha.Median().EndsWithin(2, 4).ApplyTo(Run);

        Assert.That(Message(result), Does.Contain("median alpha over layers matching \"blocks.*.fc*.weight\"")
            .And.Contain("median over 2 layers (blocks.0.fc1.weight, blocks.0.fc2.weight)  alpha: final value 4.35 at step 500000"));
    }

    [Test]
    public void TheSpectralNormAndTheUpdateStayInTheMupBandOrTheFirstOffendingStepIsNamed()
    {
        // fc.weight is 256 × 64: μP scale √(256/64) = 2. ‖W‖₂ grows 2 → 6 (normalised 1 → 3); ‖ΔW‖₂ spikes to 1.6 at step 400 (0.8).
        var trajectory = Of(
            ("fc.weight", [256, 64], MetricNames.SpectralNorm, Points([(100, 2.0), (200, 3.0), (300, 4.0), (400, 6.0)])),
            ("fc.weight", [256, 64], MetricNames.UpdateSpectralNorm, Points([(200, 0.2), (300, 0.3), (400, 1.6)])));

        Assert.That(trajectory, Training.Layers("fc.weight").SpectralNorm.StaysWithinMupBand(0.5, 3));
        var result = Training.Layers("fc.weight").UpdateSpectralNorm.StaysWithinMupBand(0.05, 0.5).ApplyTo(trajectory);
        TestContext.Out.WriteLine(Message(result));

        Assert.That(Message(result), Does.Contain("fc.weight  update_spectral_norm / √(fan_out/fan_in) = 0.8 at step 400, the first record outside in [0.05, 0.5]")
            .And.Contain("μP scale 2 from shape [256, 64]"));
    }

    [Test]
    public void UndefinedRecordsAreLeftOutAndSaidAndAnAllUndefinedSeriesFails()
    {
        var trajectory = Of(("head.weight", [10, 32], Alpha, [new TrajectoryPoint(100, null), new TrajectoryPoint(200, 3.0), new TrajectoryPoint(300, 3.1)]),
            ("tiny.weight", [4, 4], Alpha, [new TrajectoryPoint(100, null), new TrajectoryPoint(200, null)]));

        var head = Training.Layers("head.weight").Alpha.EndsWithin(2, 6).ApplyTo(trajectory);
        var tiny = Training.Layers("tiny.weight").Alpha.EndsWithin(2, 6).ApplyTo(trajectory);

        Assert.That(head.IsSuccess, Is.True);
        Assert.That(Message(head), Does.Contain("1 records with alpha undefined left out (first at step 100)"));
        Assert.That(Message(tiny), Does.Contain("alpha undefined at every record (2 records)"));
    }

    [Test]
    public void ASelectionThatMatchesNoLayerFailsAndListsTheLayers()
    {
        var result = Training.Layers("decoder.*").Alpha.EndsWithin(2, 6).ApplyTo(Run);

        Assert.That(Message(result), Does.Contain("no layer is selected. The trajectory's layers: blocks.0.fc1.weight, blocks.0.fc2.weight"));
    }

    [Test]
    public void ATrajectoryFileIsReadAndNamedInTheMessage()
    {
        string path = Path.Combine(SpectralGate.Tests.Support.TestPaths.NewScratchFolder(), "run.trajectory.json");
        TrajectoryJson.Write(path, Run);

        Assert.That(path, Training.Layers("blocks.*.fc*.weight").Alpha.EndsWithin(2, 6));
        Assert.That(Message(Training.Layers("blocks.0.fc1.weight").Alpha.EndsWithin(2, 5).ApplyTo(path)),
            Does.Contain($"of {path} (10 records, steps 1000..500000)").And.Contain("final value 5.2 at step 500000"));
    }

    [Test]
    public void ABrokenTrajectoryFileIsAFormatErrorNamingIt()
    {
        string path = Path.Combine(SpectralGate.Tests.Support.TestPaths.NewScratchFolder(), "broken.trajectory.json");
        File.WriteAllText(path, "{ \"format_version\": ");

        var error = Assert.Throws<SpectralGate.Engine.Errors.BaselineFormatException>(() => Training.AllLayers.Alpha.EndsWithin(2, 6).ApplyTo(path));

        Assert.That(error!.Message, Does.Contain("broken.trajectory.json"));
    }

    [Test]
    public void AnAlphaJumpOnAnUnchangedEsdIsSetApartAndOneOnAMovedEsdFails()
    {
        // alpha 3.0 up to step 500, 4.5 from 600 on: one jump. Same ESD throughout: the fit hopped (WW PR #99); the ESD
        // three times larger from step 600: log10 3 = 0.48 of the 1.7 decades the quantiles span, a KS distance far above 0.01.
        double[] quantiles = [0.1, 0.3, 0.5, 1, 2, 5];
        Trajectory Make(bool esdMoves) => new()
        {
            Settings = new SortedDictionary<string, string>(StringComparer.Ordinal),
            Records = Enumerable.Range(1, 10).Select(i => new TrajectoryRecord
            {
                Step = i * 100, Source = "live",
                Layers = [new SpectralGate.Engine.Signatures.LayerSignature
                {
                    Name = "fc.weight", Shape = [64, 64], Kind = SpectralGate.Engine.Matrices.LayerKind.Linear, Labels = [],
                    Metrics = new SortedDictionary<string, double?>(StringComparer.Ordinal) { [Alpha] = i <= 5 ? 3.0 : 4.5 },
                    EsdQuantiles = esdMoves && i > 5 ? quantiles.Select(q => 3 * q).ToArray() : quantiles,
                }],
            }).ToList(),
        };

        var hop = Training.Layers("fc.weight").Alpha.HasNoJumps().ApplyTo(Make(esdMoves: false));
        var real = Training.Layers("fc.weight").Alpha.HasNoJumps().ApplyTo(Make(esdMoves: true));

        Assert.That(hop.IsSuccess, Is.True);
        Assert.That(Message(hop), Does.Contain("1 jumps of the power-law fit on an unchanged ESD set apart (first into step 600, ESD distance 0 ≤ 0.01)"));
        Assert.That(real.IsSuccess, Is.False);
        Assert.That(Message(real), Does.Contain("alpha jumps +1.5 from 3 at step 500 to 4.5 at step 600"));
    }

    [Test]
    public void AStepWithACheapAndAFullRecordCountsOnceWithTheFullValue()
    {
        TrajectoryRecord Record(long step, string tier, double norm) => new()
        {
            Step = step, Source = "live", Tier = tier,
            Layers = [new SpectralGate.Engine.Signatures.LayerSignature
            {
                Name = "fc.weight", Shape = [64, 64], Kind = SpectralGate.Engine.Matrices.LayerKind.Linear, Labels = [],
                Metrics = new SortedDictionary<string, double?>(StringComparer.Ordinal) { [MetricNames.SpectralNorm] = norm },
            }],
        };
        var trajectory = new Trajectory
        {
            Settings = new SortedDictionary<string, string>(StringComparer.Ordinal),
            Records = [Record(100, TrajectoryTiers.Cheap, 1.0), Record(100, TrajectoryTiers.Full, 1.1), Record(200, TrajectoryTiers.Cheap, 1.0)],
        };

        var result = Training.Layers("fc.weight").SpectralNorm.NeverAbove(1.05).ApplyTo(trajectory);

        Assert.That(Message(result), Does.Contain("spectral_norm = 1.1 at step 100, the first record outside ≤ 1.05; 1 of 2 records outside"));
    }

    private static Trajectory Cut(Trajectory trajectory, long lastStep) => new()
    {
        Settings = trajectory.Settings,
        Records = trajectory.Records.Where(r => r.Step <= lastStep).ToList(),
    };
}
