using SpectralGate.Engine.Matrices;
using TorchSharp;

namespace SpectralGate.Engine.Tests.Matrices;

/// <summary>The view stage alone: which matrices a tensor becomes.</summary>
public class MatrixViewsTests
{
    [Test]
    public void AConvKernelBecomesOneMatrixPerKernelPosition()
    {
        using var w = torch.arange(16 * 8 * 3 * 3, dtype: torch.float64).reshape(16, 8, 3, 3);

        var view = MatrixViews.Create("conv.weight", w, new MatrixViewOptions()).Single();

        Assert.That(view.Batch.shape, Is.EqualTo(new long[] { 9, 16, 8 }));
        // Position p = 3·i + j holds W[:, :, i, j].
        Assert.That(view.Batch[5, 7, 2].item<double>(), Is.EqualTo(w[7, 2, 1, 2].item<double>()));
        Assert.That((view.Kind, view.LargerSide, view.SmallerSide), Is.EqualTo((LayerKind.Conv, 16, 8)));
    }

    // WeightWatcher's conv2d_norm touches Conv2D kernels only: a 1-D conv and a dense layer keep their scale.
    [TestCase(new long[] { 16, 8, 3, 3 }, ConvNormalisation.WeightWatcher, 0.5)]
    [TestCase(new long[] { 16, 8, 3, 3 }, ConvNormalisation.None, 1.0)]
    [TestCase(new long[] { 16, 8, 3 }, ConvNormalisation.WeightWatcher, 1.0)]
    [TestCase(new long[] { 16, 8 }, ConvNormalisation.WeightWatcher, 1.0)]
    public void OnlyAConv2DViewCarriesTheConvNormalisation(long[] shape, ConvNormalisation normalisation, double scale)
    {
        using var w = torch.ones(shape, dtype: torch.float64);

        var views = MatrixViews.Create("layer.weight", w, new MatrixViewOptions { ConvNormalisation = normalisation });

        Assert.That(views.Select(v => v.EigenvalueScale), Is.All.EqualTo(scale));
    }

    [Test]
    public void FlattenedAConvKernelIsOutputsAgainstEverythingElse()
    {
        using var w = torch.ones(16, 8, 3, 3, dtype: torch.float64);

        var view = MatrixViews.Create("conv.weight", w, new MatrixViewOptions { ConvMode = ConvMatrixMode.Flatten }).Single();

        Assert.That(view.Batch.shape, Is.EqualTo(new long[] { 1, 16, 72 }));
        Assert.That((view.LargerSide, view.SmallerSide), Is.EqualTo((72, 16)));
    }

    [Test]
    public void AFusedProjectionIsReportedWholeAndInThirds()
    {
        using var w = torch.arange(48 * 16, dtype: torch.float64).reshape(48, 16);

        var views = MatrixViews.Create("attn.in_proj_weight", w, new MatrixViewOptions { SplitFusedProjections = true });

        Assert.That(views.Select(v => v.Name), Is.EqualTo(new[] { "attn.in_proj_weight", "attn.in_proj_weight[q]", "attn.in_proj_weight[k]", "attn.in_proj_weight[v]" }));
        Assert.That(views[2].Batch[0, 0, 0].item<double>(), Is.EqualTo(16 * 16), "k starts at row 16");
        Assert.That(views.Skip(1).Select(v => v.Kind), Is.All.EqualTo(LayerKind.AttentionProjection));
    }
}
