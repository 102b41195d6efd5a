using SpectralGate.Engine.Training;

namespace SpectralGate.Engine.Tests.Training;

public class OverheadBudgetTests
{
    private static TimeSpan Ms(double ms) => TimeSpan.FromMilliseconds(ms);

    [Test]
    public void AnUnmeasuredTierRunsOnceToLearnItsCost()
    {
        var budget = new OverheadBudget(0.01);
        budget.Start(Ms(0), 0);

        Assert.That(budget.Allows("full", Ms(0), 0, TimeSpan.Zero), Is.True);
    }

    [Test]
    public void AllowsWorkWhileSpentPlusItsLastCostStaysWithinTheFractionOfElapsed()
    {
        var budget = new OverheadBudget(0.01);
        budget.Start(Ms(0), 0);
        budget.Charge("cheap", Ms(2));

        Assert.Multiple(() =>
        {
            // 2 spent + 2 expected = 4 ms: 1 % of 400 ms.
            Assert.That(budget.Allows("cheap", Ms(399), 10, TimeSpan.Zero), Is.False);
            Assert.That(budget.Allows("cheap", Ms(400), 10, TimeSpan.Zero), Is.True);
            // Work granted earlier at the same step counts: 2 + 1 + 2 = 5 ms needs 500 ms.
            Assert.That(budget.Allows("cheap", Ms(450), 10, Ms(1)), Is.False);
            Assert.That(budget.Allows("cheap", Ms(500), 10, Ms(1)), Is.True);
        });
    }

    [Test]
    public void AKnownRunLengthProjectsTheHorizonFromTheTrainingTimePerStep()
    {
        var budget = new OverheadBudget(0.01, totalSteps: 1000);
        budget.Start(Ms(0), 0);
        budget.Charge("full", Ms(10));

        // At step 10 after 110 ms, 100 ms of it training: 10 ms a step, 990 steps to go: horizon 110 + 9900 ms.
        Assert.Multiple(() =>
        {
            Assert.That(budget.Horizon(Ms(110), 10), Is.EqualTo(Ms(110 + 9900)));
            Assert.That(budget.Allows("full", Ms(110), 10, TimeSpan.Zero), Is.True, "20 ms of a projected 10,010 ms");
            Assert.That(new OverheadBudget(0.01).Allows("x", Ms(0), 0, TimeSpan.Zero), Is.True);
        });
    }

    [Test]
    public void ReportsTheShareOfWallTimeSpent()
    {
        var budget = new OverheadBudget(0.01);
        budget.Start(Ms(100), 5);
        budget.Charge(null, Ms(3));
        budget.See(Ms(400));

        Assert.Multiple(() =>
        {
            Assert.That(budget.Elapsed, Is.EqualTo(Ms(300)));
            Assert.That(budget.OverheadFraction, Is.EqualTo(0.01).Within(1e-12));
        });
    }

    [Test]
    public void AFractionOfOneOrMoreIsNoLimit()
    {
        var budget = new OverheadBudget(1);
        budget.Start(Ms(0), 0);
        budget.Charge("full", TimeSpan.FromHours(1));

        Assert.That(budget.Allows("full", Ms(1), 1, TimeSpan.Zero), Is.True);
    }

    [Test]
    public void AnEstimateJudgesATierBeforeItsFirstRunAndItsMeasurementReplacesIt()
    {
        var budget = new OverheadBudget(0.01);
        budget.Start(Ms(0), 0);
        budget.SetEstimate("full", Ms(50));

        Assert.Multiple(() =>
        {
            Assert.That(budget.Allows("full", Ms(4999), 10, TimeSpan.Zero), Is.False, "50 ms needs 5 s");
            Assert.That(budget.Allows("full", Ms(5000), 10, TimeSpan.Zero), Is.True);
        });
        budget.Charge("full", Ms(5));
        Assert.That(budget.Allows("full", Ms(1000), 20, TimeSpan.Zero), Is.True, "5 spent + 5 expected: 1 % of 1 s");
    }
}
