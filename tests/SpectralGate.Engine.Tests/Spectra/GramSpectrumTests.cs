using SpectralGate.Engine.Spectra;
using static TorchSharp.torch;

namespace SpectralGate.Engine.Tests.Spectra;

/// <summary>The exact Gram spectrum against planted spectra, on the plain and the blocked (lower-triangle) paths.</summary>
public class GramSpectrumTests
{
    [TestCase(1100, false)] // blocked path: Gram side 1030, not a multiple of the block count
    [TestCase(1100, true)]  // the same, wide
    [TestCase(700, false)]  // plain GEMM path
    public void ThePlantedSpectrumComesBack(int rows, bool wide)
    {
        int cols = rows == 1100 ? 1030 : 600;
        double[] lambda = Enumerable.Range(1, cols).Select(i => 100.0 / i + 0.01 * (i % 7)).OrderDescending().ToArray();
        using var w = PlantedSpectra.Matrix(lambda, rows, seed: 21, ScalarType.Float64);
        using var input = wide ? w.t().contiguous() : w;

        double[] spectrum = GramSpectrum.Eigenvalues(input.unsqueeze(0));

        Assert.That(spectrum, Is.EqualTo(lambda).Within(1e-9).Percent);
    }

    [Test]
    public void FiniteWeightsNearTheFloatRangeKeepTheirSpectrum()
    {
        // 3e30·I in float32: its Gram (9e60) overflows float32; the exact power-of-two scaling keeps it finite.
        using var w = eye(16, dtype: ScalarType.Float32) * 3e30f;

        double[] spectrum = GramSpectrum.Eigenvalues(w.unsqueeze(0));

        Assert.That(spectrum, Is.All.EqualTo(9e60).Within(1e-5).Percent);
    }

    [TestCase(ScalarType.Float32)]
    [TestCase(ScalarType.Float64)]
    public void ScalingByAPowerOfTwoScalesTheSpectrumExactlyOnBothSidesOfTheSafeRange(ScalarType dtype)
    {
        // Weights inside 2^±16 skip the scaled copy, weights outside are scaled: both must give the same bits (× 2^2k).
        double[] lambda = Enumerable.Range(1, 40).Select(i => 3.0 / i).OrderDescending().ToArray();
        using var w = PlantedSpectra.Matrix(lambda, 60, seed: 5, dtype);
        double[] reference = GramSpectrum.Eigenvalues(w.unsqueeze(0));

        foreach (int k in new[] { -40, -17, -3, 5, 17, 40 })
        {
            using var scaled = w * Math.ScaleB(1.0, k);
            double[] spectrum = GramSpectrum.Eigenvalues(scaled.unsqueeze(0));
            Assert.That(spectrum, Is.EqualTo(reference.Select(v => Math.ScaleB(v, 2 * k)).ToArray()), $"W·2^{k}");
        }
    }

    [Test]
    public void AZeroMatrixHasAZeroSpectrum() =>
        Assert.That(GramSpectrum.Eigenvalues(zeros(1, 12, 8, dtype: ScalarType.Float64)), Is.EqualTo(new double[8]));
}
