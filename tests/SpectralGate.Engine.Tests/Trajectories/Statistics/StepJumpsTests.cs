using SpectralGate.Engine.Trajectories.Statistics;
using static SpectralGate.Tests.Support.TestTrajectories;

namespace SpectralGate.Engine.Tests.Trajectories.Statistics;

public class StepJumpsTests
{
    [Test]
    public void ASingleStepChangeIsTheOnlyJumpAndSitsOnItsStep()
    {
        double[] noise = Gaussian(40, seed: 3);
        var series = DefinedSeries.Of(Series(40, 100, 100, s => (s >= 2_100 ? 4.0 : 3.0) + 0.02 * noise[s / 100 - 1]));

        var scan = StepJumps.Find(series);

        Assert.That(scan.Jumps, Has.Count.EqualTo(1));
        Assert.That(scan.Jumps[0].FromStep, Is.EqualTo(2_000));
        Assert.That(scan.Jumps[0].ToStep, Is.EqualTo(2_100));
        Assert.That(scan.Jumps[0].Change, Is.EqualTo(1.0).Within(0.1));
    }

    [Test]
    public void JitterAloneNeverJumps()
    {
        double[] noise = Gaussian(200, seed: 5);
        var series = DefinedSeries.Of(Series(200, 10, 10, s => 3.0 + 0.01 * noise[s / 10 - 1]));

        Assert.That(StepJumps.Find(series).Jumps, Is.Empty);
    }

    [Test]
    public void WeightWatcher307JumpsInItsFastEarlyPhaseOnly()
    {
        // Changes −13.94, −7.9, −2.7, −0.2, +0.5, +0.2, +0.1, +0.1, +0.1; median change 0.1; |d − 0.1| = 14.04, 8.0, 2.8,
        // 0.3, 0.4, 0.1, 0, 0, 0, whose median is 0.3: 1.4826·MAD = 0.44478, 5 of them 2.2239. The floor is 10% of
        // median |x| = (5.0 + 5.1)/2 = 5.05: 0.505. Jumps: the three early changes (into steps 2000, 3000, 5000).
        var scan = StepJumps.Find(DefinedSeries.Of(Points(WeightWatcher307)));

        Assert.That(scan.ScaledMad, Is.EqualTo(1.4826 * 0.3).Within(1e-9));
        Assert.That(scan.Threshold, Is.EqualTo(5 * 1.4826 * 0.3).Within(1e-9));
        Assert.That(scan.Floor, Is.EqualTo(0.505).Within(1e-12));
        Assert.That(scan.Jumps.Select(j => j.ToStep), Is.EqualTo(new long[] { 2_000, 3_000, 5_000 }));
    }

    [Test]
    public void AQuietTailWhoseChangesAreAllAlikeNeedsTheFloor()
    {
        // WW #307 from step 6000: changes 0.5, 0.2, 0.1, 0.1, 0.1 around the median 0.1; |d − 0.1| = 0.4, 0.1, 0, 0, 0 has
        // median 0, so the MAD alone would call any other change a jump. The floor decides: 10% of 4.95 = 0.495 > 0.4.
        var scan = StepJumps.Find(DefinedSeries.Of(Points(WeightWatcher307)).From(6_000));

        Assert.That(scan.ScaledMad, Is.EqualTo(0).Within(1e-12));
        Assert.That(scan.Jumps, Is.Empty);
    }
}
