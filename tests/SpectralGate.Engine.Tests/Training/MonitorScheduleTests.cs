using SpectralGate.Engine.Training;

namespace SpectralGate.Engine.Tests.Training;

public class MonitorScheduleTests
{
    [Test]
    public void RecordsEveryKStepsThePowersOfTwoBelowKAndFullAtEveryMthMultiple()
    {
        var schedule = new MonitorSchedule(every: 10, fullEvery: 3, logSpacedEarly: true);

        var recorded = Enumerable.Range(0, 71).Where(s => schedule.IsScheduled(s)).ToArray();
        var full = Enumerable.Range(0, 71).Where(s => schedule.IsFull(s)).ToArray();

        Assert.Multiple(() =>
        {
            Assert.That(recorded, Is.EqualTo(new[] { 0, 1, 2, 4, 8, 10, 20, 30, 40, 50, 60, 70 }));
            Assert.That(full, Is.EqualTo(new[] { 0, 30, 60 }));
        });
    }

    [Test]
    public void WithoutLogSpacingOnlyMultiplesOfKAreRecorded()
    {
        var schedule = new MonitorSchedule(every: 8, fullEvery: 0, logSpacedEarly: false);

        Assert.Multiple(() =>
        {
            Assert.That(Enumerable.Range(0, 33).Where(s => schedule.IsScheduled(s)), Is.EqualTo(new[] { 0, 8, 16, 24, 32 }));
            Assert.That(Enumerable.Range(0, 33).Any(s => schedule.IsFull(s)), Is.False, "m = 0: no full record on schedule");
        });
    }

    [Test]
    public void PowersOfTwoAtOrAboveKAreNotExtraRecords()
    {
        var schedule = new MonitorSchedule(every: 100, fullEvery: 10, logSpacedEarly: true);

        Assert.Multiple(() =>
        {
            Assert.That(schedule.IsScheduled(64), Is.True);
            Assert.That(schedule.IsScheduled(128), Is.False);
            Assert.That(schedule.IsScheduled(256), Is.False);
            Assert.That(schedule.IsScheduled(-1), Is.False);
            Assert.That(schedule.IsFull(1000), Is.True);
            Assert.That(schedule.IsFull(100), Is.False);
        });
    }

    [TestCase(1, 0L, 20L)]
    [TestCase(7, 0L, 200L)]
    [TestCase(100, 0L, 2000L)]
    [TestCase(100, 150L, 1000L)]
    [TestCase(16, 3L, 99L)]
    public void StepsEnumeratesExactlyTheScheduledSteps(int every, long first, long last)
    {
        var schedule = new MonitorSchedule(every, fullEvery: 2, logSpacedEarly: true);

        var expected = new List<long>();
        for (long s = first; s <= last; s++) if (schedule.IsScheduled(s)) expected.Add(s);

        Assert.That(schedule.Steps(first, last), Is.EqualTo(expected));
    }

    [Test]
    public void RefusesACadenceBelowOne()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new MonitorSchedule(0, 1, true));
        Assert.Throws<ArgumentOutOfRangeException>(() => new MonitorSchedule(5, -1, true));
    }
}
