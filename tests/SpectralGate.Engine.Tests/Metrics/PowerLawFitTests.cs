using SpectralGate.Engine.Metrics;

namespace SpectralGate.Engine.Tests.Metrics;

public class PowerLawFitTests
{
    /// <summary>Deterministic Pareto quantiles x_i = (1 − (i − ½)/n)^(−1/(α−1)), i = 1..n, descending.</summary>
    private static double[] ParetoQuantiles(int n, double alpha) =>
        Enumerable.Range(1, n).Select(i => Math.Pow(1 - (i - 0.5) / n, -1 / (alpha - 1))).OrderDescending().ToArray();

    /// <summary>The plain scan from the definition (metrics-reference §4): every candidate, α &gt; 1, minimal D, first wins.</summary>
    private static (double Alpha, double Xmin, double D) BruteForce(double[] descending)
    {
        var x = descending.Where(v => v > 1e-5).Order().ToArray();
        (double Alpha, double Xmin, double D) best = (double.NaN, double.NaN, double.PositiveInfinity);
        for (int i = 0; i < x.Length - 1; i++)
        {
            int n = x.Length - i;
            double alpha = 1 + n / x.Skip(i).Sum(v => Math.Log(v / x[i]));
            if (!(alpha > 1)) continue;
            double d = Enumerable.Range(0, n).Max(j => Math.Abs(1 - Math.Pow(x[i + j] / x[i], 1 - alpha) - (double)j / n));
            if (d < best.D) best = (alpha, x[i], d);
        }
        return best;
    }

    [Test]
    public void FitAtAGivenXminMatchesTheReferenceVector()
    {
        double[] eigenvalues = [8, 4, 2, 1];
        double expectedAlpha = 1 + 4 / (Math.Log(2) + Math.Log(4) + Math.Log(8));
        double expectedD = new[] { 1.0, 2, 4, 8 }.Select((v, j) => Math.Abs(1 - Math.Pow(v, 1 - expectedAlpha) - j / 4.0)).Max();

        var fit = PowerLawFit.FitAt(eigenvalues, 1.0);

        Assert.That(fit, Is.Not.Null);
        Assert.That(fit!.Alpha, Is.EqualTo(expectedAlpha).Within(1e-12));
        Assert.That(fit.KsDistance, Is.EqualTo(expectedD).Within(1e-12));
        Assert.That(fit.Alpha, Is.EqualTo(1.9617966939).Within(1e-10), "metrics-reference §4");
        Assert.That(fit.KsDistance, Is.EqualTo(0.2365828810).Within(1e-10), "metrics-reference §4");
        Assert.That(fit.AlphaStdErr, Is.EqualTo(0.4808983470).Within(1e-10), "metrics-reference §4");
        Assert.That(fit.NumTail, Is.EqualTo(4));
    }

    [Test]
    public void ParetoQuantileSampleRecoversAlphaThree()
    {
        var eigenvalues = ParetoQuantiles(2000, 3);
        double expectedAlpha = 1 + 2000 / eigenvalues.Sum(v => Math.Log(v / eigenvalues[^1]));

        var fit = PowerLawFit.Fit(eigenvalues);

        Assert.That(fit, Is.Not.Null);
        Assert.That(fit!.Xmin, Is.EqualTo(eigenvalues[^1]), "the scan selects xmin = min");
        Assert.That(fit.NumTail, Is.EqualTo(2000));
        Assert.That(fit.Alpha, Is.EqualTo(expectedAlpha).Within(1e-12));
        Assert.That(fit.Alpha, Is.EqualTo(3.000847).Within(5e-7), "metrics-reference §4");
        Assert.That(fit.KsDistance, Is.EqualTo(0.000336).Within(5e-7), "metrics-reference §4");
    }

    [Test]
    public void ScanMatchesThePlainScanOnAMixedSpectrum()
    {
        // A Marchenko–Pastur-like bulk with a heavy tail on top: the KS minimum is away from both ends.
        var random = new Random(3);
        var eigenvalues = Enumerable.Range(0, 500).Select(_ => 0.5 + random.NextDouble())
            .Concat(ParetoQuantiles(120, 2.5).Select(v => 1.2 * v))
            .OrderDescending().ToArray();
        var expected = BruteForce(eigenvalues);

        var fit = PowerLawFit.Fit(eigenvalues);

        Assert.That(fit, Is.Not.Null);
        Assert.That(fit!.Xmin, Is.EqualTo(expected.Xmin));
        Assert.That(fit.Alpha, Is.EqualTo(expected.Alpha).Within(1e-10));
        Assert.That(fit.KsDistance, Is.EqualTo(expected.D).Within(1e-12));
    }

    [Test]
    public void FewerThanTenEigenvaluesAboveTheThresholdLeaveAlphaUndefined()
    {
        double[] eigenvalues = [9, 8, 7, 6, 5, 4, 3, 2, 1, 1e-6, 0];

        bool fitted = PowerLawFit.TryFit(eigenvalues, null, out var result, out string? reason);

        Assert.That(fitted, Is.False);
        Assert.That(result, Is.Null);
        Assert.That(reason, Does.Contain("9 eigenvalues").And.Contain("10"));
        Assert.That(PowerLawFit.Fit(eigenvalues), Is.Null);
    }

    [Test]
    public void MinEigenvaluesAndThresholdAreOptions()
    {
        double[] eigenvalues = [9, 8, 7, 6, 5, 4, 3, 2, 1, 1e-6, 0];

        var fit = PowerLawFit.Fit(eigenvalues, new PowerLawOptions { MinEigenvalues = 5, Threshold = 1e-7 });

        Assert.That(fit, Is.Not.Null);
        Assert.That(fit!.Xmin, Is.GreaterThanOrEqualTo(1e-6));
    }

    [Test]
    public void PooledFarmsSizedSpectrumIsFitOnItsTail()
    {
        // 450,000 eigenvalues, the pooled ESD of 15 × 15 windows of 2000 × 2000 (metrics-reference §3): a wide bulk under a tail.
        var random = new Random(17);
        var eigenvalues = Enumerable.Range(0, 440_000).Select(_ => 0.2 + 2 * random.NextDouble())
            .Concat(ParetoQuantiles(10_000, 3).Select(v => 2.5 * v))
            .OrderDescending().ToArray();
        PowerLawFit.Fit(ParetoQuantiles(5000, 3));

        // Its time is measured by the benchmarks' "metrics" mode (about 0.25 s of CPU), never asserted here.
        var fit = PowerLawFit.Fit(eigenvalues);

        Assert.That(fit, Is.Not.Null);
        Assert.That(fit!.Xmin, Is.GreaterThanOrEqualTo(2.2), "the tail, not the bulk");
    }

    [Test]
    public void LargeSpectrumScanFindsTheKneeOfAMixedSpectrum()
    {
        // Thousands of candidates: the bracketing stages prune, the result is still the plain scan's.
        var random = new Random(5);
        var eigenvalues = Enumerable.Range(0, 2500).Select(_ => 0.5 + random.NextDouble())
            .Concat(ParetoQuantiles(600, 2.5).Select(v => 1.5 * v))
            .OrderDescending().ToArray();
        var expected = BruteForce(eigenvalues);

        var fit = PowerLawFit.Fit(eigenvalues);

        Assert.That(fit, Is.Not.Null);
        Assert.That(fit!.Alpha, Is.EqualTo(expected.Alpha).Within(1e-10));
        Assert.That(fit.Xmin, Is.EqualTo(expected.Xmin));
    }

    [Test]
    public void XminPeakKeepsXminBelowOneAndAHalfTimesTheHistogramPeak()
    {
        var random = new Random(11);
        var eigenvalues = Enumerable.Range(0, 3000).Select(_ => 1 + 0.2 * random.NextDouble())
            .Concat(ParetoQuantiles(300, 2).Select(v => 2 * v))
            .OrderDescending().ToArray();
        var logs = eigenvalues.Select(Math.Log10).ToArray();
        double lo = logs.Min(), width = (logs.Max() - lo) / 100;
        int peakBin = Enumerable.Range(0, 100)
            .Select(b => (Bin: b, Count: logs.Count(l => Math.Min(99, (int)((l - lo) / width)) == b)))
            .MaxBy(t => t.Count).Bin;
        double bound = 1.5 * Math.Pow(10, lo + peakBin * width);

        var fit = PowerLawFit.Fit(eigenvalues, new PowerLawOptions { FixFingers = PowerLawFixFingers.XminPeak });

        Assert.That(fit, Is.Not.Null);
        Assert.That(fit!.Xmin, Is.LessThanOrEqualTo(bound));
    }

    [Test]
    public void AlphaIsInvariantToScale()
    {
        var eigenvalues = ParetoQuantiles(500, 2.5);
        var scaled = eigenvalues.Select(v => 49 * v).ToArray();

        var fit = PowerLawFit.Fit(eigenvalues)!;
        var scaledFit = PowerLawFit.Fit(scaled)!;

        Assert.That(scaledFit.Alpha, Is.EqualTo(fit.Alpha).Within(1e-9));
        Assert.That(scaledFit.Xmin, Is.EqualTo(49 * fit.Xmin).Within(1e-9 * scaledFit.Xmin));
        Assert.That(scaledFit.KsDistance, Is.EqualTo(fit.KsDistance).Within(1e-9));
    }
}
