using SpectralGate.Engine.Baselines;
using SpectralGate.Engine.Trajectories;
using static SpectralGate.Tests.Support.BaselineTrajectories;

namespace SpectralGate.Engine.Tests.Baselines;

/// <summary>
/// Trajectory comparison on hand-written runs. Alpha's default tolerance is 0.1 + 5 % (ToleranceDefaults), so at a
/// baseline value b a run may move by 0.1 + 0.05·|b|: 0.25 at b = 3. Every expected bound below is that sum by hand.
/// </summary>
public class TrajectoryComparerTests
{
    private static readonly long[] Steps = [0, 10, 100, 1000];

    [Test]
    public void AnIdenticalRunMatchesAndEveryPointIsCompared()
    {
        var run = Alpha(Steps, s => 30.0 / (1 + s));

        var result = TrajectoryComparer.Compare(TrajectoryBaseline.Of(run), run);

        Assert.Multiple(() =>
        {
            Assert.That(result.IsMatch, Is.True, () => string.Join("\n", result.Findings.Select(f => f.Message)));
            Assert.That(result.PointsCompared, Is.EqualTo(4 * 2), "4 steps x (alpha, stable_rank)");
            Assert.That(result.StepsCompared, Is.EqualTo(4));
        });
    }

    [Test]
    public void AValueOutsideItsToleranceAtOneStepIsARegressionNamingLayerMetricStepAndValues()
    {
        var baseline = TrajectoryBaseline.Of(Alpha(Steps, _ => 3.0));
        var within = Alpha(Steps, s => s == 100 ? 3.24 : 3.0);
        var beyond = Alpha(Steps, s => s == 100 ? 3.26 : 3.0);

        var ok = TrajectoryComparer.Compare(baseline, within);
        var bad = TrajectoryComparer.Compare(baseline, beyond);

        Assert.That(ok.IsMatch, Is.True);
        var f = bad.Findings.Single();
        Assert.Multiple(() =>
        {
            Assert.That(f.Kind, Is.EqualTo(FindingKind.Regression));
            Assert.That((f.Layer, f.Metric, f.Step), Is.EqualTo(("fc1.weight", "alpha", (long?)100)));
            Assert.That((f.Baseline, f.Actual), Is.EqualTo(((double?)3.0, (double?)3.26)));
            Assert.That(f.Tolerance, Is.EqualTo(new Tolerance(0.1, 0.05)));
            Assert.That(f.Accepted!.Value.Low, Is.EqualTo(2.75).Within(1e-12));
            Assert.That(f.Accepted!.Value.High, Is.EqualTo(3.25).Within(1e-12));
            Assert.That(bad.RegressionsBySeries.Single().Headline, Does.Contain("layer 'fc1.weight' alpha").And.Contain("first at step 100").And.Contain("baseline 3, actual 3.26"));
        });
    }

    [Test]
    public void AOneRunBandJudgesBitForBitAsTheSignatureToleranceDoes()
    {
        var random = new Random(26);
        var tolerance = new Tolerance(0.1, 0.05);
        for (int i = 0; i < 10_000; i++)
        {
            double b = random.NextDouble() * 10 - 5, a = b + (random.NextDouble() - 0.5) * 1.2;
            Assert.That(BandPoint.Of(0, b).Accepts(a, tolerance), Is.EqualTo(tolerance.Accepts(b, a)), $"b={b:R} a={a:R}");
        }
    }

    [Test]
    public void ABaselineStepTheRunDidNotRecordIsAFindingNeverASilentPass()
    {
        var baseline = TrajectoryBaseline.Of(Alpha(Steps, _ => 3.0));
        var cutShort = Alpha([0, 10, 100], _ => 3.0);

        var result = TrajectoryComparer.Compare(baseline, cutShort);

        var f = result.Findings.Single();
        Assert.Multiple(() =>
        {
            Assert.That(f.Kind, Is.EqualTo(FindingKind.StructuralChange));
            Assert.That(f.Step, Is.EqualTo(1000));
            Assert.That(f.Message, Does.Contain("baseline step 1000 is not recorded"));
        });
    }

    [Test]
    public void StepsRecordedOnlyInTheRunAreNotedNotComparedWhenMatchingRecordedSteps()
    {
        var baseline = TrajectoryBaseline.Of(Alpha(Steps, _ => 3.0));
        var denser = Alpha([0, 5, 10, 100, 1000], s => s == 5 ? 99.0 : 3.0);

        var result = TrajectoryComparer.Compare(baseline, denser);

        Assert.Multiple(() =>
        {
            Assert.That(result.IsMatch, Is.True);
            Assert.That(result.Notes, Has.Some.Contains("1 full-tier steps recorded here but not in the baseline (first 5) were not compared"));
        });
    }

    [Test]
    public void ALayerAddedRemovedOrReshapedIsStructural()
    {
        var baseline = TrajectoryBaseline.Of(Run(Steps, ["a", "b"], (_, _) => [("alpha", 3.0)]));
        var changed = Run(Steps, ["a", "c"], (_, _) => [("alpha", 3.0)]);

        var result = TrajectoryComparer.Compare(baseline, changed);

        Assert.That(result.Findings.Select(f => (f.Kind, f.Layer, f.Message)), Is.EqualTo(new[]
        {
            (FindingKind.StructuralChange, (string?)"b", "layer removed (baseline shape [8, 8])"),
            (FindingKind.StructuralChange, (string?)"c", "layer added (shape [8, 8])"),
        }));
    }

    [Test]
    public void ALayerMissingAtOneStepIsStructuralAtThatStep()
    {
        var baseline = TrajectoryBaseline.Of(Run(Steps, ["a", "b"], (_, _) => [("alpha", 3.0)]));
        var gap = new Trajectory
        {
            Settings = baseline.Reference.Settings,
            Records = baseline.Reference.Records.Select(r => r.Step != 100 ? r : new TrajectoryRecord { Step = r.Step, Source = r.Source, Layers = [r.Layers[0]] }).ToList(),
        };

        var f = TrajectoryComparer.Compare(baseline, gap).Findings.Single();

        Assert.That((f.Kind, f.Layer, f.Step), Is.EqualTo((FindingKind.StructuralChange, (string?)"b", (long?)100)));
    }

    [Test]
    public void InterpolationIsLinearInLogStepPlusOne()
    {
        // ln(9 + 1) is half of ln(99 + 1): step 9 lies halfway between steps 0 and 99 on the log-step axis, so the
        // baseline there is (2 + 4) / 2 = 3 with tolerance 0.1 + 0.05·3 = 0.25. Linear in step it would be 2.18.
        var baseline = TrajectoryBaseline.Of(Alpha([0, 99], s => s == 0 ? 2.0 : 4.0));

        var onCurve = TrajectoryComparer.Compare(baseline, Alpha([0, 9, 99], s => s == 0 ? 2.0 : s == 9 ? 3.24 : 4.0), matching: StepMatching.Interpolated);
        var offCurve = TrajectoryComparer.Compare(baseline, Alpha([0, 9, 99], s => s == 0 ? 2.0 : s == 9 ? 3.26 : 4.0), matching: StepMatching.Interpolated);

        Assert.That(onCurve.IsMatch, Is.True, () => string.Join("\n", onCurve.Findings.Select(f => f.Where + " " + f.Message)));
        var f = offCurve.Findings.Single();
        Assert.Multiple(() =>
        {
            Assert.That((f.Step, f.Interpolated), Is.EqualTo(((long?)9, true)));
            Assert.That(f.Baseline, Is.EqualTo(3.0).Within(1e-12));
            Assert.That(offCurve.PointsCompared, Is.EqualTo(3 * 2));
        });
    }

    [Test]
    public void InterpolationNeverExtrapolatesAndARunCutShortStillFails()
    {
        var baseline = TrajectoryBaseline.Of(Alpha([10, 100, 1000], _ => 3.0));

        var longer = TrajectoryComparer.Compare(baseline, Alpha([10, 100, 1000, 2000], _ => 3.0), matching: StepMatching.Interpolated);
        var earlier = TrajectoryComparer.Compare(baseline, Alpha([0, 10, 100, 1000], _ => 3.0), matching: StepMatching.Interpolated);
        var shorter = TrajectoryComparer.Compare(baseline, Alpha([10, 50, 500], _ => 3.0), matching: StepMatching.Interpolated);

        Assert.Multiple(() =>
        {
            Assert.That(longer.Findings.Single().Message, Does.Contain("step 2000 lies outside the baseline's steps [10, 1000]"));
            Assert.That(earlier.Findings.Single().Step, Is.EqualTo(0));
            Assert.That(shorter.Findings.Single().Message, Does.Contain("baseline step 1000 lies outside this run's steps [10, 500]"));
            Assert.That(shorter.Findings.Single().Kind, Is.EqualTo(FindingKind.StructuralChange));
        });
    }

    [Test]
    public void AnUndefinedMetricIsARegressionUnlessTheBaselineWasUndefinedThere()
    {
        var baseline = TrajectoryBaseline.Of(Alpha(Steps, s => s == 0 ? null : 3.0));

        var same = TrajectoryComparer.Compare(baseline, Alpha(Steps, s => s == 0 ? null : 3.0));
        var lost = TrajectoryComparer.Compare(baseline, Alpha(Steps, s => s == 10 ? null : 3.0));

        Assert.That(same.IsMatch, Is.True);
        Assert.That(lost.Findings.Select(f => (f.Step, f.Message)), Is.EqualTo(new[]
        {
            ((long?)0, "metric became defined (undefined in every baseline run)"),
            ((long?)10, "metric became undefined"),
        }));
    }

    [Test]
    public void ChangedSettingsAreNamed()
    {
        var baseline = TrajectoryBaseline.Of(Alpha(Steps, _ => 3.0));
        var run = Run(Steps, ["fc1.weight"], (_, _) => [("alpha", 3.0), ("stable_rank", 2.0)],
            new SortedDictionary<string, string>(StringComparer.Ordinal) { ["precision"] = "float32" });

        var f = TrajectoryComparer.Compare(baseline, run).Findings.Single();

        Assert.That((f.Kind, f.Metric), Is.EqualTo((FindingKind.SettingsChanged, (string?)"precision")));
    }

    [Test]
    public void AnEnvelopeOfSeedsIsTheirRangeWidenedByTheToleranceAtEachEdge()
    {
        // Seeds 3.0, 3.4, 3.2: core [3.0, 3.4]; low edge 3.0 - (0.1 + 0.15) = 2.75, high edge 3.4 + (0.1 + 0.17) = 3.67.
        double[] seedValues = [3.0, 3.4, 3.2];
        var seeds = seedValues.Select(v => Alpha(Steps, _ => v)).ToList();
        var baseline = TrajectoryBands.FromSeeds(seeds);

        bool Passes(double value) => TrajectoryComparer.Compare(baseline, Alpha(Steps, s => s == 10 ? value : 3.2)).IsMatch;

        Assert.Multiple(() =>
        {
            Assert.That(Passes(3.66), Is.True);
            Assert.That(Passes(3.68), Is.False);
            Assert.That(Passes(2.76), Is.True);
            Assert.That(Passes(2.74), Is.False);
            Assert.That(baseline.Seeds, Is.EqualTo(3));
            var point = baseline.Series("fc1.weight", "alpha")![1];
            Assert.That((point.Low, point.High), Is.EqualTo(((double?)3.0, (double?)3.4)));
            Assert.That(point.Mean, Is.EqualTo(3.2).Within(1e-15));
        });
    }

    [Test]
    public void MeanPlusMinusKSdUsesTheSampleSd()
    {
        // Seeds 3.0, 3.2, 3.4: mean 3.2, sample sd 0.2, k = 3: core [2.6, 3.8]; high edge 3.8 + (0.1 + 0.19) = 4.09.
        double[] seedValues = [3.0, 3.2, 3.4];
        var baseline = TrajectoryBands.FromSeeds(seedValues.Select(v => Alpha(Steps, _ => v)).ToList(), BandMethod.MeanSd);

        bool Passes(double value) => TrajectoryComparer.Compare(baseline, Alpha(Steps, s => s == 10 ? value : 3.2)).IsMatch;

        Assert.Multiple(() =>
        {
            var point = baseline.Series("fc1.weight", "alpha")![1];
            Assert.That(point.Low, Is.EqualTo(2.6).Within(1e-12));
            Assert.That(point.High, Is.EqualTo(3.8).Within(1e-12));
            Assert.That(Passes(4.08), Is.True);
            Assert.That(Passes(4.10), Is.False);
            Assert.That(baseline.K, Is.EqualTo(3));
        });
    }

    [Test]
    public void MeanPlusMinusKSdRefusesFewerThanThreeSeeds()
    {
        var two = new[] { Alpha(Steps, _ => 3.0), Alpha(Steps, _ => 3.1) };

        Assert.That(() => TrajectoryBands.FromSeeds(two, BandMethod.MeanSd), Throws.ArgumentException.With.Message.Contains("at least 3 seed trajectories; 2 given"));
    }

    [Test]
    public void SeedsOnDifferentStepsOrSettingsAreRefusedByName()
    {
        var a = Alpha(Steps, _ => 3.0);
        var fewer = Alpha([0, 10, 100], _ => 3.0);
        var float32 = Run(Steps, ["fc1.weight"], (_, _) => [("alpha", 3.0), ("stable_rank", 2.0)],
            new SortedDictionary<string, string>(StringComparer.Ordinal) { ["precision"] = "float32" });

        Assert.Multiple(() =>
        {
            Assert.That(() => TrajectoryBands.FromSeeds([a, fewer], names: ["s1.json", "s2.json"]),
                Throws.ArgumentException.With.Message.Contains("s2.json: step 1000 (full) is not recorded, but s1.json records it"));
            Assert.That(() => TrajectoryBands.FromSeeds([a, float32], names: ["s1.json", "s2.json"]),
                Throws.ArgumentException.With.Message.Contains("s2.json: setting 'precision' is 'float32' but s1.json has 'float64'"));
        });
    }

    [Test]
    public void AMultiSeedBandAcceptsAnUndefinedValueWhereASeedWasUndefined()
    {
        var seeds = new[] { Alpha(Steps, _ => 3.0), Alpha(Steps, s => s == 10 ? null : 3.1) };
        var baseline = TrajectoryBands.FromSeeds(seeds);

        var result = TrajectoryComparer.Compare(baseline, Alpha(Steps, s => s == 10 ? null : 3.0));

        Assert.That(result.IsMatch, Is.True);
        Assert.That(baseline.Series("fc1.weight", "alpha")![1], Is.EqualTo(new BandPoint(10, 3.0, 3.0, 3.0, 1)));
    }

    [Test]
    public void TheBandAndMarkersArePlotReady()
    {
        var baseline = TrajectoryBaseline.Of(Alpha(Steps, _ => 3.0));

        var result = TrajectoryComparer.Compare(baseline, Alpha(Steps, s => s >= 100 ? 4.0 : 3.0));

        Assert.Multiple(() =>
        {
            Assert.That(result.Band("fc1.weight", "alpha").Select(p => p.Step), Is.EqualTo(Steps));
            Assert.That(result.Band("fc1.weight", "alpha")[0].Low, Is.EqualTo(2.75).Within(1e-12));
            Assert.That(result.Marks.Select(m => (m.Layer, m.Metric, m.Step)), Is.EqualTo(new[] { ("fc1.weight", "alpha", 100L), ("fc1.weight", "alpha", 1000L) }));
            Assert.That(result.Bands(["alpha", "stable_rank", "spectral_norm"]).Keys, Is.EquivalentTo(new[] { ("fc1.weight", "alpha"), ("fc1.weight", "stable_rank") }));
            Assert.That(result.RegressionsBySeries.Single().Headline, Does.Contain("at 2 steps, first at step 100"));
        });
    }
}
