using SpectralGate.Engine.Metrics;

namespace SpectralGate.Engine.Tests.Metrics;

/// <summary>
/// The ESD summary and the KS distance between two of them, against cases worked by hand. A log-uniform spectrum
/// λ_i = 10^(i/(n−1)) has log10 λ uniform on [0, 1], so its CDF on the log axis is F(x) = x and its type-7 quantiles at
/// p_k = k/31 are exactly 10^(k/31) whenever (n − 1) is a multiple of 31 (up to the signature's 10-digit rounding).
/// </summary>
public class EsdDistanceTests
{
    private static double[] LogUniformDescending(int n, double decades = 1, double scale = 1) =>
        Enumerable.Range(0, n).Select(i => scale * Math.Pow(10, decades * i / (n - 1))).Reverse().ToArray();

    private static double[] Summary(double[] eigenvaluesDescending) => EsdQuantiles.Compute(eigenvaluesDescending, 400, 400)!;

    [Test]
    public void TheQuantilesOfALogUniformSpectrumAreItsLogSpacedLevels()
    {
        double[] q = Summary(LogUniformDescending(311)); // h = (k/31)·310 = 10k: every level is an order statistic

        Assert.That(q, Has.Length.EqualTo(EsdQuantiles.Count));
        for (int k = 0; k < EsdQuantiles.Count; k++)
            Assert.That(q[k], Is.EqualTo(Math.Pow(10, k / 31.0)).Within(1e-7).Percent, $"k = {k}");
    }

    [Test]
    public void QuantilesInterpolateLog10LinearlyAndLeaveOutTheZeroEigenvalues()
    {
        // The nonzero eigenvalues are 4 and 1: log10 λ runs from 0 to log10 4 and type 7 puts level k/31 at h = k/31,
        // so q_k = 10^(log10(4)·k/31) = 4^(k/31). 0 and 1e-30 are below the rank floor 4·400·2.2e-16.
        double[] q = Summary([4, 1, 1e-30, 0]);

        Assert.That(q[0], Is.EqualTo(1.0));
        Assert.That(q[^1], Is.EqualTo(4.0));
        Assert.That(q[15], Is.EqualTo(Math.Pow(4, 15 / 31.0)).Within(1e-7).Percent);
    }

    [Test]
    public void AZeroMatrixHasNoSummary() => Assert.That(EsdQuantiles.Compute([0.0, 0.0], 4, 4), Is.Null);

    [Test]
    public void IdenticalSpectraAreAtDistanceZero()
    {
        var random = new Random(3);
        double[] ev = Enumerable.Range(0, 200).Select(_ => Math.Exp(3 * random.NextDouble())).OrderDescending().ToArray();

        Assert.That(EsdDistance.Compute(Summary(ev), Summary(ev)), Is.EqualTo(0));
    }

    [TestCase(2.0, 1.0)]   // log10(2) / 1 decade = 0.30103
    [TestCase(2.0, 2.0)]   // log10(2) / 2 decades = 0.150515
    [TestCase(0.5, 1.0)]   // a shrink is the same distance
    [TestCase(5.0, 3.0)]   // log10(5) / 3 = 0.232990
    public void AScaleChangeOfALogUniformSpectrumMovesItByLogCOverItsDecades(double c, double decades)
    {
        // F_b(x) = x / D on [0, D] and F_a(x) = F_b(x − log10 c): the gap is log10|c| / D wherever both are inside.
        var baseline = Summary(LogUniformDescending(311, decades));
        var scaled = Summary(LogUniformDescending(311, decades, c));

        Assert.That(EsdDistance.Compute(baseline, scaled), Is.EqualTo(Math.Abs(Math.Log10(c)) / decades).Within(1e-9));
    }

    [Test]
    public void DisjointSupportsAreAtDistanceOne()
    {
        // Scaled by 100 a one-decade spectrum starts where the other ended a decade before.
        var baseline = Summary(LogUniformDescending(311));
        var far = Summary(LogUniformDescending(311, 1, 100));

        Assert.Multiple(() =>
        {
            Assert.That(EsdDistance.Compute(baseline, far), Is.EqualTo(1));
            Assert.That(EsdDistance.Compute(far, baseline), Is.EqualTo(1));
        });
    }

    [Test]
    public void SummariesOfDifferentLengthAndSpanCompareOnTheLogAxis()
    {
        // [1, 10]: F(x) = x on [0, 1]; [1, 100]: G(x) = x/2 on [0, 2]. sup |x − x/2| over [0, 1] is 1/2, at x = 1.
        Assert.That(EsdDistance.Compute([1, 10], [1, 10, 100]), Is.EqualTo(0.5).Within(1e-12));
    }

    [Test]
    public void APointMassAtTheLowerEndOfAUniformIsAtDistanceOne()
    {
        // All eigenvalues equal (an orthogonal matrix): F jumps from 0 to 1 at x = 0, where G(0) = 0.
        Assert.Multiple(() =>
        {
            Assert.That(EsdDistance.Compute([1, 1, 1], [1, 10]), Is.EqualTo(1));
            Assert.That(EsdDistance.Compute([1, 1, 1], [1, 1]), Is.EqualTo(0));
            // A point mass in the middle of [1, 100] (x = 1 on the log axis): G(1) = 1/2 on both sides of the jump.
            Assert.That(EsdDistance.Compute([10, 10], [1, 100]), Is.EqualTo(0.5).Within(1e-12));
        });
    }
}
