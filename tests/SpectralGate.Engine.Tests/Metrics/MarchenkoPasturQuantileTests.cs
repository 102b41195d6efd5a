using MathNet.Numerics;
using SpectralGate.Engine.Metrics;

namespace SpectralGate.Engine.Tests.Metrics;

public class MarchenkoPasturQuantileTests
{
    [TestCase(0.5)]
    [TestCase(1.0)]
    [TestCase(2.5)]
    [TestCase(3.9)]
    public void SquareLawCdfIsTheClosedForm(double x)
    {
        // y = 1: ρ(λ) = √((4 − λ)/λ)/(2π); with λ = 4sin²φ, ρ dλ = (4/π)cos²φ dφ, so F = (2φ + sin 2φ)/π, φ = asin(√λ/2).
        double phi = Math.Asin(Math.Sqrt(x) / 2);

        Assert.That(MarchenkoPasturQuantile.Cdf(x, 1), Is.EqualTo((2 * phi + Math.Sin(2 * phi)) / Math.PI).Within(1e-13));
    }

    [Test]
    public void SquareLawAtOneIsAThirdPlusRootThreeOverTwoPi() =>
        Assert.That(MarchenkoPasturQuantile.Cdf(1, 1), Is.EqualTo(1.0 / 3 + Math.Sqrt(3) / (2 * Math.PI)).Within(1e-13));

    [TestCase(0.25, 1.0)]
    [TestCase(0.05, 1.1)]
    [TestCase(0.7, 0.4)]
    public void CdfIsTheIntegralOfTheDensity(double y, double x)
    {
        double a = MarchenkoPastur.LambdaMinus(1, 1 / y);

        double integral = Integrate.DoubleExponential(l => MarchenkoPastur.MpDensity(l, 1, 1 / y), a, x);

        Assert.That(MarchenkoPasturQuantile.Cdf(x, y), Is.EqualTo(integral).Within(1e-9));
    }

    [TestCase(0.25, 0.5)]
    [TestCase(1.0, 0.1)]
    [TestCase(0.01, 0.93)]
    public void QuantileInvertsTheCdf(double y, double p) =>
        Assert.That(MarchenkoPasturQuantile.Cdf(MarchenkoPasturQuantile.Quantile(p, y), y), Is.EqualTo(p).Within(1e-12));

    [Test]
    public void QuantilesEndAtTheEdges()
    {
        Assert.That(MarchenkoPasturQuantile.Quantile(0, 0.25), Is.EqualTo(0.25).Within(1e-15));
        Assert.That(MarchenkoPasturQuantile.Quantile(1, 0.25), Is.EqualTo(2.25).Within(1e-15));
    }
}
