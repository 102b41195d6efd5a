using SpectralGate.Engine.Trajectories;
using SpectralGate.Engine.Trajectories.Statistics;
using static SpectralGate.Tests.Support.TestTrajectories;

namespace SpectralGate.Engine.Tests.Trajectories.Statistics;

public class TheilSenTests
{
    [Test]
    public void OneWildRecordDoesNotMoveTheSlope()
    {
        // Steps 0..4, values 0, 1, 2, 3, 100: six pairwise slopes of 1 and four through the outlier (25, 33, 49, 97);
        // the median of the ten is the mean of the 5th and 6th, both 1. Least squares would say 19.
        var series = DefinedSeries.Of(Points([(0, 0), (1, 1), (2, 2), (3, 3), (4, 100)]));

        Assert.That(TheilSen.Slope(series), Is.EqualTo(1.0));
    }

    [Test]
    public void SlopesArePerStepOnAnIrregularGrid()
    {
        // WW #307 from step 6000: 4.2, 4.7, 4.9, 5.0, 5.1, 5.2 at 6k, 100k..500k. The 15 slopes, sorted (per step):
        // 1e-6 ×6 (the 100k-apart neighbours after 200k and the 200k..400k pairs), 1.25e-6 (100k–500k), 1.3333e-6 (100k–400k),
        // 1.5e-6, 2e-6, 2.024e-6 (6k–500k), 2.284e-6, 2.721e-6, 3.608e-6, 5.319e-6 (6k–100k). The 8th: 0.4/300000.
        var series = DefinedSeries.Of(Points(WeightWatcher307)).From(6_000);

        Assert.That(TheilSen.Slope(series), Is.EqualTo(0.4 / 300_000).Within(1e-15));
    }

    [Test]
    public void ANoisyLineKeepsItsSlope()
    {
        double[] noise = Gaussian(60, seed: 11);
        var series = DefinedSeries.Of(Series(60, 0, 100, s => 10 - 0.001 * s + 0.5 * noise[s / 100]));

        Assert.That(TheilSen.Slope(series), Is.EqualTo(-0.001).Within(20).Percent);
    }

    [Test]
    public void OneRecordHasNoSlope() =>
        Assert.That(TheilSen.Slope(DefinedSeries.Of([new TrajectoryPoint(5, 1.0)])), Is.Null);
}
