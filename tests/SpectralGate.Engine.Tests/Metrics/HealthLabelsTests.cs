using SpectralGate.Engine.Metrics;

namespace SpectralGate.Engine.Tests.Metrics;

public class HealthLabelsTests
{
    /// <summary>The metrics of a layer whose α fit has power (60 tail eigenvalues, D well under 1.36/√60 = 0.176) and a spike.</summary>
    private static Dictionary<string, double?> Metrics(double? alpha, double numTail = 60, double ksDistance = 0.05, double numSpikes = 3,
        double softRank = 0.3) => new()
    {
        [MetricNames.Alpha] = alpha, [MetricNames.NumTail] = numTail, [MetricNames.KsDistance] = ksDistance,
        [MetricNames.NumSpikes] = numSpikes, [MetricNames.MpSoftRank] = softRank,
    };

    private static IReadOnlyList<string> Classify(Dictionary<string, double?> metrics, HealthThresholds? thresholds = null) =>
        HealthLabels.Classify(metrics, numericalRank: 64, stableRank: 10, eigenvalueCount: 64, smallerSide: 64, thresholds);

    [TestCase(1.999, new[] { HealthLabels.OverTrained })]
    [TestCase(2.0, new string[0])]
    [TestCase(6.0, new string[0])]
    [TestCase(6.001, new[] { HealthLabels.UnderTrained })]
    public void AlphaThresholdsAreWeightWatchers(double alpha, string[] expected)
    {
        Assert.That(Classify(Metrics(alpha)), Is.EqualTo(expected));
    }

    [Test]
    public void UndefinedAlphaIsNotJudged()
    {
        Assert.That(Classify(Metrics(null)), Is.EqualTo(new[] { HealthLabels.AlphaNotJudged }));
    }

    [TestCase(49, new[] { HealthLabels.AlphaNotJudged })]
    [TestCase(50, new[] { HealthLabels.OverTrained })]
    public void AlphaIsJudgedFromFiftyTailEigenvalues(double numTail, string[] expected)
    {
        Assert.That(Classify(Metrics(1.6, numTail)), Is.EqualTo(expected));
    }

    [Test]
    public void APowerLawTheKsTestRejectsIsNotJudged()
    {
        // 100 tail eigenvalues: the 5% KS critical value is 1.36/√100 = 0.136.
        Assert.That(Classify(Metrics(7, 100, ksDistance: 0.136)), Is.EqualTo(new[] { HealthLabels.UnderTrained }));
        Assert.That(Classify(Metrics(7, 100, ksDistance: 0.137)), Is.EqualTo(new[] { HealthLabels.AlphaNotJudged }));
    }

    [TestCase(0, 0.9, true)]
    [TestCase(0, 0.899, false)]
    [TestCase(1, 1.0, false)]
    public void RandomLikeMeansNoSpikeAndSoftRankNearOne(double spikes, double softRank, bool randomLike)
    {
        var labels = Classify(Metrics(4, numSpikes: spikes, softRank: softRank));

        Assert.That(labels.Contains(HealthLabels.RandomLike), Is.EqualTo(randomLike));
    }

    [Test]
    public void OnlyInformationalLabelsAreHealthy()
    {
        Assert.That(HealthLabels.AreHealthy([HealthLabels.AlphaNotJudged]), Is.True);
        Assert.That(HealthLabels.AreHealthy([HealthLabels.AlphaNotJudged, HealthLabels.RandomLike]), Is.False);
    }

    [TestCase(8, false)]
    [TestCase(7, true)]
    public void RankCollapseBelowHalfTheEigenvalues(int rank, bool collapsed)
    {
        var labels = HealthLabels.Classify(Metrics(3), rank, stableRank: 4, eigenvalueCount: 16, smallerSide: 16);

        Assert.That(labels.Contains(HealthLabels.RankCollapse), Is.EqualTo(collapsed));
    }

    [TestCase(1.05, false)]
    [TestCase(1.049, true)]
    public void RankCollapseBelowStableRankOnePointZeroFive(double stableRank, bool collapsed)
    {
        var labels = HealthLabels.Classify(Metrics(3), 16, stableRank, eigenvalueCount: 16, smallerSide: 16);

        Assert.That(labels.Contains(HealthLabels.RankCollapse), Is.EqualTo(collapsed));
    }

    [Test]
    public void SmallMatricesAreNotJudgedForRankCollapse()
    {
        var labels = HealthLabels.Classify(Metrics(3), numericalRank: 1, stableRank: 1, eigenvalueCount: 7, smallerSide: 7);

        Assert.That(labels, Is.Empty);
    }

    [Test]
    public void ThresholdsAreOptions()
    {
        var thresholds = new HealthThresholds { OverTrainedAlpha = 2.5, UnderTrainedAlpha = 4, AlphaMinTail = 20, RandomLikeSoftRank = 0.5 };

        Assert.That(Classify(Metrics(2.4, numTail: 20), thresholds), Is.EqualTo(new[] { HealthLabels.OverTrained }));
        Assert.That(Classify(Metrics(4.1), thresholds), Is.EqualTo(new[] { HealthLabels.UnderTrained }));
        Assert.That(Classify(Metrics(3, numSpikes: 0, softRank: 0.6), thresholds), Is.EqualTo(new[] { HealthLabels.RandomLike }));
    }

    [Test]
    public void LabelsAreSortedOrdinally()
    {
        var labels = HealthLabels.Classify(Metrics(7, numSpikes: 0, softRank: 1), numericalRank: 1, stableRank: 1, eigenvalueCount: 16, smallerSide: 16);

        Assert.That(labels, Is.EqualTo(new[] { HealthLabels.RandomLike, HealthLabels.RankCollapse, HealthLabels.UnderTrained }));
    }
}
