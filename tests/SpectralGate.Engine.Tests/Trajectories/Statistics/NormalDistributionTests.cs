using SpectralGate.Engine.Trajectories.Statistics;

namespace SpectralGate.Engine.Tests.Trajectories.Statistics;

public class NormalDistributionTests
{
    // Reference values: Φ(0) = 1/2 by symmetry; Φ(−1), Φ(1.959964) and P(Z > 5) from Python's math.erfc (Cody's
    // rational approximations, code that shares nothing with the engine's Chebyshev fit).
    [TestCase(0.0, 0.5)]
    [TestCase(-1.0, 0.15865525393145707)]
    [TestCase(1.959963984540054, 0.975)]
    public void TheCdfMatchesReferenceValues(double z, double expected) =>
        Assert.That(NormalDistribution.Cdf(z), Is.EqualTo(expected).Within(1e-13));

    [Test]
    public void TheUpperTailKeepsItsPrecisionFarOut() =>
        Assert.That(NormalDistribution.UpperTail(5), Is.EqualTo(2.866515718791946e-7).Within(1e-12).Percent);
}
