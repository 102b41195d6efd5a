using SpectralGate.Engine.Trajectories;
using SpectralGate.Engine.Trajectories.Statistics;

namespace SpectralGate.Engine.Tests.Trajectories.Statistics;

public class DefinedSeriesTests
{
    [Test]
    public void UndefinedValuesAreLeftOutAndCounted()
    {
        var series = DefinedSeries.Of([new TrajectoryPoint(1, 2.0), new TrajectoryPoint(2, null), new TrajectoryPoint(3, 4.0)]);

        Assert.That(series.Steps, Is.EqualTo(new long[] { 1, 3 }));
        Assert.That(series.UndefinedSteps, Is.EqualTo(new long[] { 2 }));
    }

    [Test]
    public void StepsOutOfOrderAreRefusedNamingTheStep()
    {
        var error = Assert.Throws<ArgumentException>(() => DefinedSeries.Of([new TrajectoryPoint(10, 1.0), new TrajectoryPoint(9, 1.0)]));

        Assert.That(error!.Message, Does.Contain("step 9 follows step 10"));
    }

    [Test]
    public void ANonFiniteValueIsRefusedNamingTheStep()
    {
        var error = Assert.Throws<ArgumentException>(() => DefinedSeries.Of([new TrajectoryPoint(7, double.NaN)]));

        Assert.That(error!.Message, Does.Contain("step 7"));
    }
}
