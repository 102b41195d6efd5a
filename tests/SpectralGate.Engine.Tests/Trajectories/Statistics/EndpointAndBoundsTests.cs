using SpectralGate.Engine.Trajectories;
using SpectralGate.Engine.Trajectories.Statistics;
using static SpectralGate.Tests.Support.TestTrajectories;

namespace SpectralGate.Engine.Tests.Trajectories.Statistics;

public class EndpointAndBoundsTests
{
    private static readonly DefinedSeries WW307 = DefinedSeries.Of(Points(WeightWatcher307));

    [Test]
    public void TheEndpointIsTheFinalValueOrTheMedianOfTheLastRecords()
    {
        Assert.That(Endpoint.Of(WW307), Is.EqualTo(new EndpointValue(5.2, 500_000, 500_000, 1)));
        // The last three: 5.0, 5.1, 5.2; median 5.1 over steps 300k..500k.
        Assert.That(Endpoint.Of(WW307, lastRecords: 3), Is.EqualTo(new EndpointValue(5.1, 300_000, 500_000, 3)));
        Assert.That(Endpoint.Of(WW307, lastRecords: 50).Records, Is.EqualTo(10));
    }

    [Test]
    public void ACollapseAfterWarmUpIsTheFirstRecordBelowTheBoundFromThatStepOn()
    {
        // Rank-like metric: collapses during warm-up (steps < 200, expected), recovers, collapses again at step 700.
        var series = DefinedSeries.Of(Points([(0, 10), (100, 0.2), (200, 6), (300, 8), (500, 9), (700, 0.3), (800, 0.1)]));

        Assert.That(BoundViolation.First(series, ValueBound.AtLeast(0.5), fromStep: 200), Is.EqualTo(new TrajectoryPoint(700, 0.3)));
        Assert.That(BoundViolation.First(series, ValueBound.AtLeast(0.5)), Is.EqualTo(new TrajectoryPoint(100, 0.2)));
        Assert.That(BoundViolation.First(series, ValueBound.AtLeast(0.05), fromStep: 200), Is.Null);
    }

    [Test]
    public void AMilestoneIsTheFirstRecordThatReachesTheBound()
    {
        Assert.That(Milestone.FirstReached(WW307, ValueBound.AtMost(4.4)), Is.EqualTo(new TrajectoryPoint(5_000, 4.4)));
        Assert.That(Milestone.FirstReached(WW307, ValueBound.AtMost(4)), Is.Null);
    }

    [Test]
    public void TheMupScaleIsTheSquareRootOfFanOutOverFanIn()
    {
        Assert.That(MupScale.Of([256, 64]), Is.EqualTo(2.0));
        Assert.That(MupScale.Of([16, 8, 3, 3]), Is.EqualTo(Math.Sqrt(16.0 / 72)).Within(1e-15));
        Assert.Throws<ArgumentException>(() => MupScale.Of([16]));
    }

    [Test]
    public void AnEmptyBandIsRefused() =>
        Assert.Throws<ArgumentException>(() => ValueBound.Between(6, 2));
}
