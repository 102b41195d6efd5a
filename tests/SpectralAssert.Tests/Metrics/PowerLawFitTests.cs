using SpectralAssert.Metrics;

namespace SpectralAssert.Tests.Metrics;

public class PowerLawFitTests
{
    [Test]
    public void TestVectorOneTwoFourEight()
    {
        double[] x = [1, 2, 4, 8];
        double expectedAlpha = 1 + 4 / x.Sum(v => Math.Log(v / 1));

        var fit = PowerLawFit.FitAt(x, 1)!;

        Assert.Multiple(() =>
        {
            Assert.That(fit.Alpha, Is.EqualTo(expectedAlpha).Within(1e-12));
            Assert.That(fit.Alpha, Is.EqualTo(1.9617966939).Within(1e-9));
            Assert.That(fit.KsDistance, Is.EqualTo(0.2365828810).Within(1e-9));
            Assert.That(fit.AlphaStdErr, Is.EqualTo(0.4808983470).Within(1e-9));
            Assert.That(fit.NumTail, Is.EqualTo(4));
        });
    }

    [Test]
    public void ParetoQuantilesRecoverAlphaThree()
    {
        // x_i = (1 − (i − ½)/n)^(−1/2): the quantiles of a Pareto law with density ∝ x^−3.
        const int n = 2000;
        double[] descending = Enumerable.Range(1, n).Select(i => Math.Pow(1 - (i - 0.5) / n, -0.5)).OrderDescending().ToArray();

        var fit = PowerLawFit.Fit(descending)!;

        Assert.Multiple(() =>
        {
            Assert.That(fit.Alpha, Is.EqualTo(3.000847).Within(1e-5));
            Assert.That(fit.Xmin, Is.EqualTo(descending[^1]).Within(1e-12));
            Assert.That(fit.KsDistance, Is.EqualTo(0.000336).Within(1e-5));
        });
    }

    [Test]
    public void TooFewEigenvaluesAboveTheThresholdGiveNoFit()
    {
        double[] nine = Enumerable.Range(1, 9).Select(i => (double)i).OrderDescending().ToArray();
        double[] tiny = [5, 4, 3, 2, 1, 1e-6, 1e-6, 1e-6, 1e-6, 1e-6, 1e-6];

        Assert.That(PowerLawFit.Fit(nine), Is.Null);
        Assert.That(PowerLawFit.Fit(tiny), Is.Null);
    }

    [Test]
    public void TheCandidateSubsetMatchesTheExhaustiveScan()
    {
        const int n = 10_000;
        double[] descending = Enumerable.Range(1, n).Select(i => Math.Pow(1 - (i - 0.5) / n, -1 / 1.5)).OrderDescending().ToArray();
        double[] ascending = descending.Reverse().ToArray();
        // Exhaustive O(n²) scan written out here.
        double bestD = double.MaxValue, bestAlpha = 0;
        for (int i = 0; i < n - 1; i += 1)
        {
            int m = n - i;
            double sum = 0;
            for (int j = i; j < n; j++) sum += Math.Log(ascending[j] / ascending[i]);
            double alpha = 1 + m / sum;
            double d = 0;
            for (int j = 0; j < m; j++) d = Math.Max(d, Math.Abs(1 - Math.Pow(ascending[i + j] / ascending[i], 1 - alpha) - (double)j / m));
            if (d < bestD) { bestD = d; bestAlpha = alpha; }
        }

        var fit = PowerLawFit.Fit(descending)!;

        Assert.That(fit.Alpha, Is.EqualTo(bestAlpha).Within(0.01));
        Assert.That(fit.KsDistance, Is.EqualTo(bestD).Within(1e-3));
    }
}
