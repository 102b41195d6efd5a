using SpectralGate.Engine.Trajectories;
using SpectralGate.Engine.Trajectories.Statistics;
using static SpectralGate.Tests.Support.TestTrajectories;

namespace SpectralGate.Engine.Tests.Trajectories.Statistics;

public class ChangePointsTests
{
    private static readonly double[] Noise = Gaussian(80, seed: 42);

    /// <summary>80 records at steps 50, 100, ..., 4000.</summary>
    private static IReadOnlyList<TrajectoryPoint> Make(Func<long, double> value, double noise) =>
        Series(80, 50, 50, s => value(s) + noise * Noise[s / 50 - 1]);

    [TestCase(ChangePointModel.TwoLines)]
    [TestCase(ChangePointModel.LevelShift)]
    [TestCase(ChangePointModel.MeanShift)]
    public void ASingleStepChangeIsLocatedExactly(ChangePointModel model)
    {
        var result = ChangePoints.Find(Make(s => s >= 2_750 ? 1.0 : 0.0, noise: 0.1), new ChangePointOptions { Model = model });

        Assert.That(result.Found, Is.True, $"p = {result.PValue}, explained {result.Explained}");
        Assert.That(result.Step, Is.EqualTo(2_750));
        Assert.That(result.PreviousStep, Is.EqualTo(2_700));
        Assert.That(result.LevelChange, Is.EqualTo(1.0).Within(0.15));
        Assert.That(result.PValue, Is.EqualTo(1.0 / 1000), "no shuffle of the residuals comes near a real step");
    }

    [Test]
    public void ANoiselessStepFitsExactly()
    {
        var result = ChangePoints.Find(Make(s => s >= 1_000 ? 5.0 : 2.0, noise: 0));

        Assert.That(result.Found, Is.True);
        Assert.That(result.Step, Is.EqualTo(1_000));
        Assert.That(result.F, Is.EqualTo(double.PositiveInfinity));
        Assert.That(result.Explained, Is.EqualTo(1.0));
        Assert.That(result.LevelChange, Is.EqualTo(3.0).Within(1e-9));
    }

    [TestCase(ChangePointModel.TwoLines)]
    [TestCase(ChangePointModel.LevelShift)]
    public void AStepOnATrendIsLocatedAndTheTrendIsNotAChange(ChangePointModel model)
    {
        var stepOnTrend = ChangePoints.Find(Make(s => 0.001 * s + (s >= 1_500 ? 2.0 : 0.0), noise: 0.1), new ChangePointOptions { Model = model });
        var trend = ChangePoints.Find(Make(s => 0.001 * s, noise: 0.1), new ChangePointOptions { Model = model });

        Assert.That(stepOnTrend.Found, Is.True);
        Assert.That(stepOnTrend.Step, Is.EqualTo(1_500));
        Assert.That(stepOnTrend.SlopeBefore, Is.EqualTo(0.001).Within(25).Percent);
        Assert.That(trend.Found, Is.False, $"p = {trend.PValue}, explained {trend.Explained}");
    }

    [Test]
    public void AMeanShiftTestCallsATrendAChangeWhichIsWhyItIsNotTheDefault()
    {
        var trend = ChangePoints.Find(Make(s => 0.001 * s, noise: 0.1), new ChangePointOptions { Model = ChangePointModel.MeanShift });

        Assert.That(trend.Found, Is.True);
    }

    [Test]
    public void ABendIsATwoLinesChange()
    {
        // Flat, then falling from step 2000 (a kink, no jump): the two-lines model finds it near the kink.
        var result = ChangePoints.Find(Make(s => s < 2_000 ? 3.0 : 3.0 - 0.002 * (s - 2_000), noise: 0.1));

        Assert.That(result.Found, Is.True);
        Assert.That(result.Step, Is.InRange(1_800, 2_200));
        Assert.That(result.SlopeBefore, Is.EqualTo(0).Within(0.0003));
        Assert.That(result.SlopeAfter, Is.EqualTo(-0.002).Within(0.0003));
    }

    [TestCase(ChangePointModel.TwoLines)]
    [TestCase(ChangePointModel.LevelShift)]
    [TestCase(ChangePointModel.MeanShift)]
    public void NoiseAloneHasNoChange(ChangePointModel model)
    {
        var result = ChangePoints.Find(Make(_ => 5.0, noise: 0.3), new ChangePointOptions { Model = model });

        Assert.That(result.Found, Is.False, $"p = {result.PValue}, explained {result.Explained}");
        Assert.That(result.NotTested, Is.Null);
    }

    [Test]
    public void AGrokkingLikeAccuracyJumpIsFoundAtItsMidpoint()
    {
        // Test accuracy near 0, a logistic rise centred on step 3000 (width 100 steps), near 1 after.
        var accuracy = Make(s => 1 / (1 + Math.Exp(-(s - 3_000) / 100.0)), noise: 0.02);

        var result = ChangePoints.Find(accuracy);

        Assert.That(result.Found, Is.True);
        Assert.That(result.Step, Is.InRange(2_850, 3_150));
        Assert.That(result.LevelChange, Is.GreaterThan(0.5));
    }

    [Test]
    public void AStraightLineOrAConstantHasNothingToExplain()
    {
        var line = ChangePoints.Find(Make(s => 2 + 0.003 * s, noise: 0));
        var constant = ChangePoints.Find(Make(_ => 4.2, noise: 0));

        Assert.That(line.Found, Is.False);
        Assert.That(line.NotTested, Is.Null);
        Assert.That(constant.Found, Is.False);
        Assert.That(constant.NotTested, Is.Null);
    }

    [Test]
    public void TooFewRecordsAreNotTestedAndSaySo()
    {
        var result = ChangePoints.Find(Series(5, 1, 1, s => s));

        Assert.That(result.Found, Is.False);
        Assert.That(result.NotTested, Does.Contain("5 records").And.Contain("at least 6"));
    }

    [Test]
    public void TheSameSeriesGetsTheSameAnswer()
    {
        var series = Make(s => 0.0005 * s + (s >= 2_000 ? 0.3 : 0), noise: 0.3);

        var first = ChangePoints.Find(series);
        var second = ChangePoints.Find(series);

        Assert.That(second, Is.EqualTo(first));
    }
    [Test]
    public void AKneeTooSmallForItsLevelIsNoTransitionUnderASizeFloor()
    {
        // 21.74 until step 300, then rising 0.0003 a step to 21.884 at 780: two exact lines, so the test is as sure as
        // it gets (explains all), yet the series moved 0.144 on a level of 21.767 (the median of its 40 values, the mean
        // of the 20th and 21st: 21.764 at step 380 and 21.770 at 400): 0.66 %, a control's creeping norm.
        var knee = Enumerable.Range(0, 40).Select(i => (long)(20 * i)).Select(s => new TrajectoryPoint(s, 21.74 + 0.0003 * Math.Max(0, s - 300))).ToList();
        var floor = new ChangePointOptions { MinRelativeRange = 0.1 };

        var plain = ChangePoints.Find(knee);
        var floored = ChangePoints.Find(knee, floor);
        // Thirty times the rise: 4.32 on a level of 21.74 + 0.009·90 = 22.55 (the same two middle records): 19 %.
        var real = ChangePoints.Find(knee.Select(p => p with { Value = 21.74 + 0.009 * Math.Max(0, p.Step - 300) }).ToList(), floor);

        Assert.Multiple(() =>
        {
            Assert.That(plain.Found, Is.True, "scale-free: the knee is significant");
            Assert.That(floored.RelativeRange, Is.EqualTo(0.144 / 21.767).Within(1e-9));
            Assert.That(floored.Found, Is.False, "0.66 % is under the 10 % floor");
            Assert.That(real.RelativeRange, Is.EqualTo(4.32 / (21.74 + 0.009 * 90)).Within(1e-9));
            Assert.That(real.Found, Is.True);
            Assert.That(real.Step, Is.InRange(300, 320), "step 300 lies on both lines");
        });
    }
}
