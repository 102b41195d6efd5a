using MathNet.Numerics;
using SpectralGate.Engine.Metrics;

namespace SpectralGate.Engine.Tests.Metrics;

/// <summary>
/// <see cref="MpSigmaEstimator.WeightWatcherFit"/> against WeightWatcher's own numbers. The expected values were printed by
/// weightwatcher_mp_fit_reference.py beside this file: WeightWatcher's mp_fit formulas (commit d6fd015) copied verbatim and
/// run with scikit-learn's KDE and scipy's brute on the same elementary spectra; only the numbers are committed.
/// </summary>
public class WeightWatcherMpFitTests
{
    /// <summary>The script's spectrum: a bulk λ/N = lo + (hi − lo)(1 − cos πt)/2 at t = (k + ½)/bulk, then outliers, all × N·scale.</summary>
    private static double[] Spectrum(int n, int m, int count, double lo, double hi, double[] outliers, double scale)
    {
        int bulk = count * m - outliers.Length;
        var values = Enumerable.Range(0, bulk).Select(k => n * scale * (lo + (hi - lo) * (1 - Math.Cos(Math.PI * (k + 0.5) / bulk)) / 2))
            .Concat(outliers.Select(o => n * scale * o));
        return values.OrderDescending().ToArray();
    }

    private static readonly double Lo2 = Math.Pow(1 - Math.Sqrt(0.5), 2), Hi2 = Math.Pow(1 + Math.Sqrt(0.5), 2);

    private static IEnumerable<TestCaseData> Cases()
    {
        // name, N, M, pooled matrices, bulk range of λ/N, outliers, scale; then WeightWatcher's num_spikes, sigma_mp, mp_softrank, bulk_max.
        yield return new TestCaseData(2000, 500, 1, 0.25, 2.25, new[] { 2.4, 2.6, 4.0, 7.5 }, 0.37, 2, 0.9564007775981263, 0.34932486465835577, 1938.7529988538745)
            .SetName("Rectangular Q = 4: two outliers inside WeightWatcher's margin are not spikes");
        yield return new TestCaseData(400, 400, 1, 0.0, 4.0, new[] { 4.5, 6.0, 10.0 }, 2.3, 1, 0.9747873272120273, 0.7739463164672855, 7120.306111499025)
            .SetName("Square: quarter_circle_fun on the singular values");
        yield return new TestCaseData(64, 32, 9, Lo2, Hi2, new[] { 4.0, 6.5 }, 1.0, 1, 0.9933822104219654, 0.6751607185401923, 280.86685891272003)
            .SetName("Conv pooled over 9 kernel positions, Q = 2");
    }

    [TestCaseSource(nameof(Cases))]
    public void ReproducesWeightWatchersMpFit(int n, int m, int count, double lo, double hi, double[] outliers, double scale,
        int numSpikes, double sigmaMp, double softRank, double bulkMax)
    {
        var spectrum = Spectrum(n, m, count, lo, hi, outliers, scale);

        var fit = MarchenkoPastur.Fit(spectrum, n, m, MpSigmaEstimator.WeightWatcherFit);

        Assert.That(fit, Is.Not.Null);
        Assert.That(fit!.NumSpikes, Is.EqualTo(numSpikes));
        Assert.That(fit.SoftRank, Is.EqualTo(softRank).Within(1e-9).Percent);
        Assert.That(fit.BulkMax, Is.EqualTo(bulkMax).Within(1e-9).Percent);
        // sigma_mp is WeightWatcher's σ of the spectrum rescaled to mean 1; mp_sigma is in the units of W's entries.
        Assert.That(fit.Sigma / Math.Sqrt(spectrum.Average() / n), Is.EqualTo(sigmaMp).Within(1e-9).Percent);
    }

    [Test]
    public void SpikeMarginIsWeightWatchersNotTheTracyWidomEdge()
    {
        // On the spectrum rescaled to mean 1: cut = bulk_max + √(Q^(−1/2)·bulk_max^(2/3)·M^(−2/3)). At Q = 4 and M = 500 this
        // margin is ≈ 0.12·bulk_max^(1/3), about four times Johnstone's 2.0234·s that the default adds (0.028 at σ² = 1).
        const int n = 2000, m = 500;
        var spectrum = Spectrum(n, m, 1, 0.25, 2.25, [2.4, 2.6, 4.0, 7.5], 0.37);
        double rescale = spectrum.Length / spectrum.Sum();

        var fit = MarchenkoPastur.Fit(spectrum, n, m, MpSigmaEstimator.WeightWatcherFit)!;

        double bulkMax = fit.BulkMax * rescale;
        double margin = Math.Sqrt(1 / Math.Sqrt(4.0) * Math.Pow(bulkMax, 2.0 / 3) * Math.Pow(m, -2.0 / 3));
        Assert.That(fit.SpikeThreshold * rescale - bulkMax, Is.EqualTo(margin).Within(1e-12));
        Assert.That(margin, Is.GreaterThan(3 * MarchenkoPastur.TracyWidom99 * MarchenkoPastur.TracyWidomScale(1, n, m)));
    }

    [TestCase(0.5)]
    [TestCase(1.0)]
    [TestCase(1.7)]
    public void TheTwoQuarterCircleLawsAgreeOnlyAtUnitSigma(double sigma)
    {
        // ∫₀^2σ √(4σ² − x²) dx = πσ², so the textbook law has mass 1; WeightWatcher's √(4 − x²)/(πσ²) has support [0, 2]
        // and mass π/(πσ²) = 1/σ².
        double textbook = Integrate.DoubleExponential(x => WeightWatcherMpFit.TextbookQuarterCircleDensity(x, sigma), 0, 2 * sigma);
        double weightWatcher = Integrate.DoubleExponential(x => WeightWatcherMpFit.QuarterCircleDensity(x, sigma), 0, 2);

        Assert.That(textbook, Is.EqualTo(1).Within(1e-9));
        Assert.That(weightWatcher, Is.EqualTo(1 / (sigma * sigma)).Within(1e-9));
        Assert.That(WeightWatcherMpFit.QuarterCircleDensity(1.2, sigma) == WeightWatcherMpFit.TextbookQuarterCircleDensity(1.2, sigma), Is.EqualTo(sigma == 1.0));
    }
}
