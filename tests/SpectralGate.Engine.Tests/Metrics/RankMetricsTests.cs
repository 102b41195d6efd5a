using SpectralGate.Engine.Metrics;

namespace SpectralGate.Engine.Tests.Metrics;

public class RankMetricsTests
{
    private static readonly double[] Diag321 = [9, 4, 1];

    private static double Entropy(IEnumerable<double> weights)
    {
        var w = weights.ToArray();
        double total = w.Sum();
        return -w.Where(x => x > 0).Sum(x => x / total * Math.Log(x / total));
    }

    [Test]
    public void StableRankOfDiag321IsFourteenNinths()
    {
        double stableRank = StableRank.Compute(Diag321);

        Assert.That(stableRank, Is.EqualTo(14.0 / 9).Within(1e-15));
    }

    [Test]
    public void EffectiveRankOfDiag321MatchesRoyVetterli()
    {
        double expected = Math.Exp(Entropy([3, 2, 1]));

        double effectiveRank = EffectiveRank.Compute(Diag321);

        Assert.That(effectiveRank, Is.EqualTo(expected).Within(1e-14));
        Assert.That(effectiveRank, Is.EqualTo(2.7494592740).Within(1e-10), "metrics-reference §2 test vector");
    }

    [Test]
    public void ConditionNumberOfDiag321IsThree()
    {
        int rank = NumericalRank.Compute(Diag321, 3, 3);

        double condition = ConditionNumber.Compute(Diag321, rank);

        Assert.That(rank, Is.EqualTo(3));
        Assert.That(condition, Is.EqualTo(3).Within(1e-15));
    }

    [Test]
    public void SpectralEntropyOfDiag321IsTheEntropyOfLambdaOverLnRank()
    {
        double expected = Entropy([9, 4, 1]) / Math.Log(3);

        double entropy = SpectralEntropy.Compute(Diag321, 3);

        Assert.That(entropy, Is.EqualTo(expected).Within(1e-15));
    }

    [Test]
    public void OrthogonalMatrixHasAFlatSpectrum()
    {
        // An orthogonal 5 × 5 matrix scaled by 2: every σ = 2.
        double[] eigenvalues = [4, 4, 4, 4, 4];
        int rank = NumericalRank.Compute(eigenvalues, 5, 5);

        Assert.That(rank, Is.EqualTo(5));
        Assert.That(EffectiveRank.Compute(eigenvalues), Is.EqualTo(5).Within(1e-13));
        Assert.That(StableRank.Compute(eigenvalues), Is.EqualTo(5).Within(1e-15));
        Assert.That(SpectralEntropy.Compute(eigenvalues, rank), Is.EqualTo(1).Within(1e-15));
        Assert.That(ConditionNumber.Compute(eigenvalues, rank), Is.EqualTo(1));
    }

    [Test]
    public void RankOneMatrixHasRankOneEverywhere()
    {
        double[] eigenvalues = [7, 0, 0, 0];
        int rank = NumericalRank.Compute(eigenvalues, 4, 4);

        Assert.That(rank, Is.EqualTo(1));
        Assert.That(EffectiveRank.Compute(eigenvalues), Is.EqualTo(1).Within(1e-15));
        Assert.That(StableRank.Compute(eigenvalues), Is.EqualTo(1).Within(1e-15));
        Assert.That(SpectralEntropy.Compute(eigenvalues, rank), Is.Zero, "defined as 0 when rank ≤ 1");
        Assert.That(ConditionNumber.Compute(eigenvalues, rank), Is.EqualTo(1));
    }

    [Test]
    public void NumericalRankFloorFollowsTheConvention()
    {
        // n = m = 3. numpy: σ > σ_max·3·ε, i.e. λ > λ_max·(3ε)²; Gram: λ > λ_max·3ε.
        double[] eigenvalues = [1, 1e-12, 1e-20];
        double eps64 = Math.Pow(2, -52), eps32 = Math.Pow(2, -23);
        int Expected(double floor) => eigenvalues.Count(l => l > floor);

        Assert.That(NumericalRank.Compute(eigenvalues, 3, 3, false, NumericalRankConvention.SingularValues), Is.EqualTo(Expected(Math.Pow(3 * eps64, 2))).And.EqualTo(3));
        Assert.That(NumericalRank.Compute(eigenvalues, 3, 3, false, NumericalRankConvention.GramEigenvalues), Is.EqualTo(Expected(3 * eps64)).And.EqualTo(2));
        Assert.That(NumericalRank.Compute(eigenvalues, 3, 3, true, NumericalRankConvention.SingularValues), Is.EqualTo(Expected(Math.Pow(3 * eps32, 2))).And.EqualTo(2));
        Assert.That(NumericalRank.Compute(eigenvalues, 3, 3, true, NumericalRankConvention.GramEigenvalues), Is.EqualTo(Expected(3 * eps32)).And.EqualTo(1));
    }

    [Test]
    public void ConditionNumberIgnoresSingularValuesBelowTheRankFloor()
    {
        double[] eigenvalues = [16, 4, 1e-30];
        int rank = NumericalRank.Compute(eigenvalues, 3, 3);

        double condition = ConditionNumber.Compute(eigenvalues, rank);

        Assert.That(rank, Is.EqualTo(2));
        Assert.That(condition, Is.EqualTo(2).Within(1e-15));
    }

    [Test]
    public void AllZeroSpectrumIsUndefined()
    {
        double[] eigenvalues = [0, 0, 0];

        Assert.That(NumericalRank.Compute(eigenvalues, 3, 3), Is.Zero);
        Assert.That(StableRank.Compute(eigenvalues), Is.NaN);
        Assert.That(EffectiveRank.Compute(eigenvalues), Is.NaN);
        Assert.That(SpectralEntropy.Compute(eigenvalues, 0), Is.NaN);
        Assert.That(ConditionNumber.Compute(eigenvalues, 0), Is.NaN);
    }
}
