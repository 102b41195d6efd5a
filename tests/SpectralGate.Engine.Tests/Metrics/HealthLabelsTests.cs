using SpectralGate.Engine.Metrics;

namespace SpectralGate.Engine.Tests.Metrics;

public class HealthLabelsTests
{
    [TestCase(1.999, new[] { HealthLabels.OverTrained })]
    [TestCase(2.0, new string[0])]
    [TestCase(6.0, new string[0])]
    [TestCase(6.001, new[] { HealthLabels.UnderTrained })]
    public void AlphaThresholdsAreWeightWatchers(double alpha, string[] expected)
    {
        var labels = HealthLabels.Classify(alpha, numericalRank: 64, stableRank: 10, eigenvalueCount: 64, smallerSide: 64);

        Assert.That(labels, Is.EqualTo(expected));
    }

    [Test]
    public void UndefinedAlphaGivesNoAlphaLabel()
    {
        Assert.That(HealthLabels.Classify(null, 64, 10, 64, 64), Is.Empty);
    }

    [TestCase(8, false)]
    [TestCase(7, true)]
    public void RankCollapseBelowHalfTheEigenvalues(int rank, bool collapsed)
    {
        var labels = HealthLabels.Classify(3, rank, stableRank: 4, eigenvalueCount: 16, smallerSide: 16);

        Assert.That(labels.Contains(HealthLabels.RankCollapse), Is.EqualTo(collapsed));
    }

    [TestCase(1.05, false)]
    [TestCase(1.049, true)]
    public void RankCollapseBelowStableRankOnePointZeroFive(double stableRank, bool collapsed)
    {
        var labels = HealthLabels.Classify(3, 16, stableRank, eigenvalueCount: 16, smallerSide: 16);

        Assert.That(labels.Contains(HealthLabels.RankCollapse), Is.EqualTo(collapsed));
    }

    [Test]
    public void SmallMatricesAreNotJudgedForRankCollapse()
    {
        var labels = HealthLabels.Classify(3, numericalRank: 1, stableRank: 1, eigenvalueCount: 7, smallerSide: 7);

        Assert.That(labels, Is.Empty);
    }

    [Test]
    public void ThresholdsAreOptions()
    {
        var thresholds = new HealthThresholds { OverTrainedAlpha = 2.5, UnderTrainedAlpha = 4 };

        Assert.That(HealthLabels.Classify(2.4, 64, 10, 64, 64, thresholds), Is.EqualTo(new[] { HealthLabels.OverTrained }));
        Assert.That(HealthLabels.Classify(4.1, 64, 10, 64, 64, thresholds), Is.EqualTo(new[] { HealthLabels.UnderTrained }));
    }

    [Test]
    public void LabelsAreSortedOrdinally()
    {
        var labels = HealthLabels.Classify(7, numericalRank: 1, stableRank: 1, eigenvalueCount: 16, smallerSide: 16);

        Assert.That(labels, Is.EqualTo(new[] { HealthLabels.RankCollapse, HealthLabels.UnderTrained }));
    }
}
