using SpectralGate.Engine.Trajectories.Statistics;
using static SpectralGate.Tests.Support.TestTrajectories;

namespace SpectralGate.Engine.Tests.Trajectories.Statistics;

public class MannKendallTests
{
    private static DefinedSeries Values(params double[] values) =>
        DefinedSeries.Of(values.Select((v, i) => new SpectralGate.Engine.Trajectories.TrajectoryPoint(i + 1, v)).ToList());

    [Test]
    public void AStrictlyRisingSeriesOfFive()
    {
        // All 10 pairs rise: S = 10. Var S = n(n−1)(2n+5)/18 = 5·4·15/18 = 16.667. Z = (S − 1)/√Var = 9/4.0825 = 2.20454;
        // one-sided p = 1 − Φ(2.20454) = 0.013743 (Φ from Python's math.erfc).
        var result = MannKendall.Test(Values(1, 2, 3, 4, 5));

        Assert.That(result.S, Is.EqualTo(10));
        Assert.That(result.Variance, Is.EqualTo(300.0 / 18).Within(1e-12));
        Assert.That(result.Z, Is.EqualTo(2.2045407685048604).Within(1e-12));
        Assert.That(result.PValue(TrendDirection.Up), Is.EqualTo(0.01374316805575515).Within(1e-12));
        Assert.That(result.PValue(TrendDirection.Down), Is.EqualTo(1 - 0.01374316805575515).Within(1e-12));
        Assert.That(result.TwoSidedPValue, Is.EqualTo(0.0274863361115103).Within(1e-12));
    }

    [Test]
    public void TiesLowerTheVariance()
    {
        // 1, 2, 2, 3: the pairs (1,2) (1,2) (1,3) (2,3) (2,3) rise, (2,2) is tied: S = 5.
        // Var S = [4·3·13 − t(t−1)(2t+5) for the tie group t = 2: 2·1·9]/18 = (156 − 18)/18 = 7.6667; Z = 4/√7.6667 = 1.44463.
        var result = MannKendall.Test(Values(1, 2, 2, 3));

        Assert.That(result.S, Is.EqualTo(5));
        Assert.That(result.Variance, Is.EqualTo(138.0 / 18).Within(1e-12));
        Assert.That(result.Z, Is.EqualTo(1.4446302370292303).Within(1e-12));
    }

    [Test]
    public void AnSOfMinusOneHasNoTrendAfterTheContinuityCorrection()
    {
        // 3, 1, 2: −1 −1 +1 = −1; Z = (S + 1)/√Var = 0.
        var result = MannKendall.Test(Values(3, 1, 2));

        Assert.That(result.S, Is.EqualTo(-1));
        Assert.That(result.Variance, Is.EqualTo(3 * 2 * 11 / 18.0).Within(1e-12));
        Assert.That(result.Z, Is.EqualTo(0));
        Assert.That(result.PValue(TrendDirection.Down), Is.EqualTo(0.5).Within(1e-15));
    }

    [Test]
    public void TheNonMonotoneCurveOfWeightWatcher307HasNoSignificantTrendEitherWay()
    {
        // 28.94, 15, 7.1 each fall to all later values: −9 −8 −7. 4.4 falls to 4.2 and rises to the 5 after: +4.
        // 4.2, 4.7, 4.9, 5.0, 5.1 rise to all later: +5 +4 +3 +2 +1. S = −24 + 19 = −5; Var = 10·9·25/18 = 125;
        // Z = (−5 + 1)/√125 = −0.357771; p(down) = Φ(−0.357771) = 0.360257.
        var result = MannKendall.Test(DefinedSeries.Of(Points(WeightWatcher307)));

        Assert.That(result.S, Is.EqualTo(-5));
        Assert.That(result.Variance, Is.EqualTo(125).Within(1e-12));
        Assert.That(result.Z, Is.EqualTo(-0.35777087639996635).Within(1e-12));
        Assert.That(result.PValue(TrendDirection.Down), Is.EqualTo(0.36025739356812764).Within(1e-12));
    }

    [Test]
    public void WeightWatcher307RisesSignificantlyAfterStep6000()
    {
        // 4.2, 4.7, 4.9, 5.0, 5.1, 5.2 rise strictly: S = 15, Var = 6·5·17/18 = 28.333, Z = 14/√28.333 = 2.630142, p = 0.004267.
        var result = MannKendall.Test(DefinedSeries.Of(Points(WeightWatcher307)).From(6_000));

        Assert.That(result.S, Is.EqualTo(15));
        Assert.That(result.PValue(TrendDirection.Up), Is.EqualTo(0.004267460207113549).Within(1e-12));
    }

    [Test]
    public void ANoisyFallIsSignificantAndPureNoiseIsNot()
    {
        double[] noise = Gaussian(60, seed: 11);
        var falling = DefinedSeries.Of(Series(60, 0, 100, s => 10 - 0.001 * s + 0.5 * noise[s / 100]));   // 6 units over the run, noise σ 0.5
        var flat = DefinedSeries.Of(Series(60, 0, 100, s => 10 + 0.5 * noise[s / 100]));

        Assert.That(MannKendall.Test(falling).PValue(TrendDirection.Down), Is.LessThan(1e-6));
        Assert.That(MannKendall.Test(flat).PValue(TrendDirection.Down), Is.GreaterThan(0.05));
        Assert.That(MannKendall.Test(flat).PValue(TrendDirection.Up), Is.GreaterThan(0.05));
    }
}
