using SpectralGate.Engine.Metrics;
using TorchSharp;
using static TorchSharp.torch;

namespace SpectralGate.Engine.Tests.Metrics;

/// <summary>Why the engine uses <see cref="NumericalRankConvention.GramEigenvalues"/>: Gram round-off sits above numpy's SVD floor.</summary>
[NonParallelizable]
public class NumericalRankGramTests
{
    [Test]
    public void GramConventionFindsTheRankOfALowRankMatrix()
    {
        using var scope = NewDisposeScope();
        var generator = new Generator(42);
        var w = randn(64, 16, dtype: ScalarType.Float64, generator: generator).matmul(randn(16, 32, dtype: ScalarType.Float64, generator: generator));
        var eigenvalues = linalg.eigvalsh(w.T.matmul(w)).clamp_min(0).data<double>().ToArray().OrderDescending().ToArray();
        var singularValues = linalg.svdvals(w).data<double>().ToArray();

        int gram = NumericalRank.Compute(eigenvalues, 64, 32, convention: NumericalRankConvention.GramEigenvalues);
        int numpyOnSvd = NumericalRank.Compute(singularValues.Select(s => s * s).ToArray(), 64, 32, convention: NumericalRankConvention.SingularValues);
        int numpyOnGram = NumericalRank.Compute(eigenvalues, 64, 32, convention: NumericalRankConvention.SingularValues);

        Assert.That(gram, Is.EqualTo(16));
        Assert.That(numpyOnSvd, Is.EqualTo(16));
        Assert.That(numpyOnGram, Is.GreaterThan(16), "round-off of the Gram route counted as rank");
    }
}
