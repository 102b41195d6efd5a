using SpectralGate.Engine.Probes;

namespace SpectralGate.Engine.Tests.Probes;

/// <summary>Test vectors of metrics-reference §1–2 (computed there independently), and the definitions worked here.</summary>
public class ActivationSpectrumMetricsTests
{
    private static readonly double[] Lambda = [4, 3, 2, 1];

    [Test]
    public void NerveTestVectors()
    {
        Assert.Multiple(() =>
        {
            Assert.That(ActivationSpectrumMetrics.SpectralEntropy(Lambda), Is.EqualTo(1.2798542258).Within(1e-10));
            Assert.That(ActivationSpectrumMetrics.ParticipationRatio(Lambda), Is.EqualTo(10.0 * 10 / 30).Within(1e-12));
            Assert.That(ActivationSpectrumMetrics.EarlyEnrichment(Lambda), Is.EqualTo(0.25).Within(1e-12));
            Assert.That(ActivationSpectrumMetrics.EarlyEnrichment([1, 0, 0, 0]), Is.EqualTo(0.75).Within(1e-12));
            Assert.That(ActivationSpectrumMetrics.EarlyEnrichment([1, 1, 1, 1]), Is.EqualTo(0).Within(1e-12));
            Assert.That(ActivationSpectrumMetrics.JensenShannon(Lambda, [1, 1, 1, 1]), Is.EqualTo(0.0278656135).Within(1e-10));
            Assert.That(ActivationSpectrumMetrics.JensenShannon(Lambda, Lambda), Is.EqualTo(0).Within(1e-15));
            Assert.That(ActivationSpectrumMetrics.JensenShannon([1, 0], [0, 1]), Is.EqualTo(Math.Log(2)).Within(1e-12), "disjoint spectra reach ln 2");
        });
    }

    [Test]
    public void JensenShannonZeroPadsTheShorterSpectrum()
    {
        Assert.That(ActivationSpectrumMetrics.JensenShannon([2, 2], [1, 1, 0, 0]), Is.EqualTo(0).Within(1e-15));
    }

    [Test]
    public void RankMeTestVector()
    {
        Assert.That(ActivationSpectrumMetrics.RankMe([3, 2, 1]), Is.EqualTo(2.7494594344).Within(1e-10));
    }

    [Test]
    public void AlphaReqOfAnExactPowerLawIsItsExponent()
    {
        double[] lambda = Enumerable.Range(1, 150).Select(i => Math.Pow(i, -1.5)).ToArray();

        Assert.That(ActivationSpectrumMetrics.AlphaReq(lambda), Is.EqualTo(1.5).Within(1e-12));
        Assert.That(ActivationSpectrumMetrics.AlphaReq(lambda[..99]), Is.Null, "ranks 6..100 need 100 eigenvalues");
    }

    [Test]
    public void EigenScoreOfThreeUnitVectors()
    {
        double[][] embeddings = [[1, 0, 0, 0], [0, 1, 0, 0], [0, 0, 1, 0]];

        // Each row centred over its features: Σ + αI has eigenvalues [1.001, 1.001, 0.251].
        double expected = (2 * Math.Log(1.001) + Math.Log(0.251)) / 3;

        Assert.That(EigenScore.Compute(embeddings), Is.EqualTo(expected).Within(1e-12));
        Assert.That(EigenScore.Compute(embeddings), Is.EqualTo(-0.4601011131).Within(1e-9));
        Assert.That(EigenScore.Compute(embeddings, convention: EigenScore.Convention.AlibabaCode), Is.EqualTo(-0.6752137923).Within(1e-9));
    }
}
