using SpectralGate.Engine.Matrices;
using SpectralGate.Engine.Spectra;
using TorchSharp;

namespace SpectralGate.Engine.Tests.Spectra;

/// <summary>The spectrum stage alone, on matrices whose spectra are known in closed form.</summary>
public class MatrixSpectraTests
{
    /// <summary>W = [diag(1..8) | 2·I₈], 8 × 16: W Wᵀ = diag(k² + 4); its two 8 × 8 halves have σ² = k² and 4.</summary>
    private static MatrixView TwoBlocks()
    {
        var w = torch.zeros(8, 16, torch.float64);
        for (int k = 0; k < 8; k++)
        {
            w[k, k] = k + 1;
            w[k, 8 + k] = 2;
        }
        return new MatrixView("fc.weight", LayerKind.Linear, w.unsqueeze(0));
    }

    /// <summary>Windows of 8 × 8 at two column positions: exactly the two halves.</summary>
    private static readonly FarmsOptions Halves = new() { WindowSize = 8, AspectRatio = 1, WindowsPerDimension = 2 };

    [Test]
    public void TheExactSpectrumIsEveryEigenvalueOfTheGram()
    {
        using var view = TwoBlocks();

        var spectra = MatrixSpectra.Compute(view, sketch: null, farms: null, "model.safetensors");

        Assert.That(spectra.Select(s => s.Kind), Is.EqualTo(new[] { SpectrumKind.Exact }));
        Assert.That(spectra[0].Eigenvalues, Is.EqualTo(Enumerable.Range(1, 8).Reverse().Select(k => k * k + 4.0)).Within(1e-9));
    }

    [Test]
    public void TheFarmsSpectrumPoolsTheWindowsSpectra()
    {
        using var view = TwoBlocks();

        var spectra = MatrixSpectra.Compute(view, sketch: null, Halves, "model.safetensors");

        double[] pooled = Enumerable.Range(1, 8).Select(k => (double)k * k).Concat(Enumerable.Repeat(4.0, 8)).OrderDescending().ToArray();
        Assert.That(spectra.Select(s => s.Kind), Is.EqualTo(new[] { SpectrumKind.Exact, SpectrumKind.FarmsWindows }));
        Assert.That(spectra[1].Eigenvalues, Is.EqualTo(pooled).Within(1e-9));
    }

    [Test]
    public void AConvolutionsPooledKernelPositionsGetNoFarmsSpectrum()
    {
        using var view = new MatrixView("conv.weight", LayerKind.Conv, torch.eye(8, dtype: torch.float64).expand(9, 8, 8).contiguous());

        var spectra = MatrixSpectra.Compute(view, sketch: null, Halves, "model.safetensors");

        Assert.That(spectra.Select(s => s.Kind), Is.EqualTo(new[] { SpectrumKind.Exact }));
        Assert.That(spectra[0].Eigenvalues, Is.EqualTo(Enumerable.Repeat(1.0, 72)).Within(1e-12));
    }

    [Test]
    public void AViewsEigenvalueScaleMultipliesEverySpectrumOfIt()
    {
        // 3·I (8 × 8) at nine kernel positions: λ = 9 each, ½ of that under WeightWatcher's conv normalisation.
        using var view = new MatrixView("conv.weight", LayerKind.Conv, (3 * torch.eye(8, dtype: torch.float64)).expand(9, 8, 8).contiguous()) { EigenvalueScale = 0.5 };

        var spectra = MatrixSpectra.Compute(view, sketch: null, farms: null, "model.safetensors");

        Assert.That(spectra.Single().Eigenvalues, Is.EqualTo(Enumerable.Repeat(4.5, 72)));
    }

    [Test]
    public void OnlyMatricesWiderThanTheExactLimitAreSketched()
    {
        using var view = TwoBlocks();

        var wide = MatrixSpectra.Compute(view, new SketchOptions { ExactUpTo = 7, BlockSize = 2, Steps = 2 }, farms: null, "model.safetensors");
        var narrow = MatrixSpectra.Compute(view, new SketchOptions { ExactUpTo = 8 }, farms: null, "model.safetensors");

        Assert.That(wide.Single().Kind, Is.EqualTo(SpectrumKind.Sketched));
        Assert.That(narrow.Single().Kind, Is.EqualTo(SpectrumKind.Exact));
    }
}
