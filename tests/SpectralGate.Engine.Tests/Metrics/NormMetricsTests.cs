using SpectralGate.Engine.Metrics;

namespace SpectralGate.Engine.Tests.Metrics;

public class NormMetricsTests
{
    // diag(3, 2, 1): σ = [3, 2, 1], λ = σ² = [9, 4, 1].
    private static readonly double[] Diag321 = [9, 4, 1];

    [Test]
    public void SpectralNormIsTheLargestSingularValue()
    {
        double norm = SpectralNorm.Compute(Diag321);

        Assert.That(norm, Is.EqualTo(3).Within(1e-15));
    }

    [Test]
    public void FrobeniusNormIsTheRootOfTheSumOfSquares()
    {
        double norm = FrobeniusNorm.Compute(Diag321);

        Assert.That(norm, Is.EqualTo(Math.Sqrt(3 * 3 + 2 * 2 + 1 * 1)).Within(1e-15));
    }

    [Test]
    public void LogNormsAreBase10LogsOfLambdaMaxAndTheSum()
    {
        double logSpectral = LogSpectralNorm.Compute(Diag321);
        double logNorm = LogNorm.Compute(Diag321);

        Assert.That(logSpectral, Is.EqualTo(Math.Log10(9)).Within(1e-15));
        Assert.That(logNorm, Is.EqualTo(Math.Log10(14)).Within(1e-15));
    }

    [Test]
    public void AlphaWeightedIsAlphaTimesLog10LambdaMax()
    {
        double weighted = AlphaWeighted.Compute(2.5, 100);

        Assert.That(weighted, Is.EqualTo(5.0).Within(1e-15));
    }

    [TestCase(new double[] { 0, 0, 0 })]
    [TestCase(new double[0])]
    public void AllZeroSpectrumGivesNaN(double[] eigenvalues)
    {
        Assert.That(SpectralNorm.Compute(eigenvalues), Is.NaN);
        Assert.That(FrobeniusNorm.Compute(eigenvalues), Is.NaN);
        Assert.That(LogSpectralNorm.Compute(eigenvalues), Is.NaN);
        Assert.That(LogNorm.Compute(eigenvalues), Is.NaN);
    }
}
