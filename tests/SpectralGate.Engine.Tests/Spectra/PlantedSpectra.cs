using TorchSharp;
using static TorchSharp.torch;

namespace SpectralGate.Engine.Tests.Spectra;

/// <summary>Matrices with a prescribed spectrum: W = U·diag(√λ)·Vᵀ with U and V orthonormal from QR of Gaussians.</summary>
internal static class PlantedSpectra
{
    /// <summary>A rows×cols matrix (rows ≥ cols = λ.Length) whose eigenvalues of WᵀW are exactly <paramref name="lambda"/>.</summary>
    public static Tensor Matrix(double[] lambda, int rows, int seed, ScalarType dtype = ScalarType.Float32)
    {
        int cols = lambda.Length;
        var generator = new Generator((ulong)seed, CPU);
        using var scope = NewDisposeScope();
        var (u, _) = linalg.qr(randn([rows, cols], ScalarType.Float64, generator: generator));
        var (v, _) = linalg.qr(randn([cols, cols], ScalarType.Float64, generator: generator));
        Tensor sigma = tensor(lambda.Select(Math.Sqrt).ToArray(), ScalarType.Float64);
        return (u * sigma.unsqueeze(0)).matmul(v.t()).to(dtype).MoveToOuterDisposeScope();
    }

    /// <summary>The quantiles of a Pareto law with density ∝ λ^-α above <paramref name="xmin"/>: a pure power-law ESD.</summary>
    public static double[] PowerLaw(int count, double alpha, double xmin) =>
        Enumerable.Range(1, count).Select(i => xmin * Math.Pow(count / (i - 0.5), 1 / (alpha - 1))).ToArray();
}
