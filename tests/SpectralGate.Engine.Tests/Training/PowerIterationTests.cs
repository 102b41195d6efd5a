using SpectralGate.Engine.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace SpectralGate.Engine.Tests.Training;

public class PowerIterationTests
{
    /// <summary>U·diag(σ)·Vᵀ with U, V orthonormal from the QR of seeded Gaussians: its singular values are σ exactly (to rounding).</summary>
    private static Tensor Planted(double[] sigma, int rows, int cols, int seed)
    {
        var generator = new Generator((ulong)seed);
        var (u, _) = linalg.qr(randn([rows, sigma.Length], ScalarType.Float64, generator: generator));
        var (v, _) = linalg.qr(randn([cols, sigma.Length], ScalarType.Float64, generator: generator));
        return u.matmul(diag(tensor(sigma, ScalarType.Float64))).matmul(v.t());
    }

    [Test]
    public void FindsSigmaMaxOfAMatrixWithAPlantedSpectrum()
    {
        using var scope = NewDisposeScope();
        var w = Planted([10, 9, 5, 1, 0.5], rows: 40, cols: 30, seed: 3);

        var result = PowerIteration.Run(w.unsqueeze(0), null, tolerance: 1e-12, maxIterations: 2000);

        Assert.That(result.SpectralNorm, Is.EqualTo(10).Within(1e-9).Percent);
    }

    [Test]
    public void FindsSigmaMaxOfADiagonalMatrix()
    {
        using var scope = NewDisposeScope();
        var w = diag(tensor(new double[] { 0.3, -7, 2, 6.5 }, ScalarType.Float64));

        var result = PowerIteration.Run(w.unsqueeze(0), null, tolerance: 1e-13, maxIterations: 2000);

        Assert.That(result.SpectralNorm, Is.EqualTo(7).Within(1e-9).Percent);
    }

    [Test]
    public void ABatchGivesEachMatrixsSigmaAndTheLargestOverall()
    {
        using var scope = NewDisposeScope();
        var batch = stack([Planted([3, 1], 12, 9, 1), Planted([8, 2, 1], 12, 9, 2), zeros(12, 9, ScalarType.Float64)]);

        var result = PowerIteration.Run(batch, null, tolerance: 1e-12, maxIterations: 500);

        Assert.Multiple(() =>
        {
            Assert.That(result.PerMatrix[0], Is.EqualTo(3).Within(1e-9).Percent);
            Assert.That(result.PerMatrix[1], Is.EqualTo(8).Within(1e-9).Percent);
            Assert.That(result.PerMatrix[2], Is.Zero, "a zero matrix has σ = 0, not NaN");
            Assert.That(result.SpectralNorm, Is.EqualTo(8).Within(1e-9).Percent);
        });
    }

    [Test]
    public void AWarmStartFromTheVectorOfANearbyMatrixNeedsFarFewerIterations()
    {
        using var scope = NewDisposeScope();
        // σ₂/σ₁ = 0.95: a cold start gains a factor 0.9 a step on the angle's tangent.
        var before = Planted([10, 9.5, 4, 1], rows: 64, cols: 48, seed: 11);
        var after = before + 1e-3 * randn([64, 48], ScalarType.Float64, generator: new Generator(12)); // one training step later
        var previous = PowerIteration.Run(before.unsqueeze(0), null, tolerance: 1e-10, maxIterations: 5000);

        var cold = PowerIteration.Run(after.unsqueeze(0), null, tolerance: 1e-10, maxIterations: 5000);
        var warm = PowerIteration.Run(after.unsqueeze(0), previous.RightVectors, tolerance: 1e-10, maxIterations: 5000);
        double exact = linalg.svdvals(after)[0].item<double>();

        Assert.Multiple(() =>
        {
            Assert.That(warm.SpectralNorm, Is.EqualTo(exact).Within(1e-7).Percent);
            Assert.That(cold.SpectralNorm, Is.EqualTo(exact).Within(1e-7).Percent);
            Assert.That(warm.Iterations, Is.LessThanOrEqualTo(cold.Iterations / 4), $"warm {warm.Iterations}, cold {cold.Iterations}");
        });
        TestContext.Out.WriteLine($"iterations to 1e-10: cold {cold.Iterations}, warm {warm.Iterations}");
    }

    [Test]
    public void TheEstimateNeverExceedsSigmaMaxAndAFewIterationsReachTheDefaultTolerance()
    {
        using var scope = NewDisposeScope();
        var w = Planted([4, 3.6, 2, 1], rows: 50, cols: 50, seed: 5);

        var result = PowerIteration.Run(w.unsqueeze(0), null, tolerance: 1e-4, maxIterations: 30);

        Assert.Multiple(() =>
        {
            Assert.That(result.SpectralNorm, Is.LessThanOrEqualTo(4 * (1 + 1e-12)));
            Assert.That(result.SpectralNorm, Is.EqualTo(4).Within(1).Percent);
        });
    }
}
