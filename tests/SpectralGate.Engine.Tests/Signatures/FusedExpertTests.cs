using SpectralGate.Tests.Support;
using SpectralGate.Engine.Matrices;
using SpectralGate.Engine.Signatures;
using SpectralGate.Engine.Sources.Safetensors;
using SpectralGate.Engine.Tests.Sources;
using TorchSharp;

namespace SpectralGate.Engine.Tests.Signatures;

/// <summary>
/// Fused mixture-of-experts tensors [experts, rows, cols] are cut into one matrix per expert, kind expert, each with
/// the signature the same matrix has alone; 3-D tensors that are neither experts nor kernels are skipped, not guessed.
/// </summary>
public class FusedExpertTests
{
    private static float[] Values(int count, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
    }

    [Test]
    public void AFusedExpertTensorIsOneLayerPerExpertWithTheMetricsOfThatMatrixAlone()
    {
        // 4 experts: fewer than the minimum matrix side, which the experts' own sides (16 x 24) must not be confused with.
        const int experts = 4, rows = 16, cols = 24;
        float[] fused = Values(experts * rows * cols, 1);
        string model = SafetensorsFixtures.Write(SafetensorsWriter.Float32("model.layers.0.mlp.experts.down_proj", [experts, rows, cols], fused));
        var alone = Enumerable.Range(0, experts)
            .Select(e => SafetensorsFixtures.Write(SafetensorsWriter.Float32("m", [rows, cols], fused.AsSpan(e * rows * cols, rows * cols))))
            .ToArray();

        using var source = new SafetensorsFileSource(model);
        var signature = SpectralEngine.Compute(source);

        Assert.That(signature.Layers.Select(l => l.Name), Is.EqualTo(Enumerable.Range(0, experts).Select(e => $"model.layers.0.mlp.experts.down_proj[{e}]")));
        for (int e = 0; e < experts; e++)
        {
            using var one = new SafetensorsFileSource(alone[e]);
            var expected = SpectralEngine.Compute(one).Layers.Single();
            var layer = signature.Layers[e];
            Assert.That(layer.Kind, Is.EqualTo(LayerKind.Expert));
            Assert.That(layer.Shape, Is.EqualTo(new long[] { rows, cols }));
            Assert.That(layer.Metrics, Is.EqualTo(expected.Metrics), layer.Name);
        }
    }

    [TestCase("model.layers.3.mlp.experts.gate_up_proj")]
    [TestCase("model.layers.3.block_sparse_moe.w1")]
    [TestCase("layers.3.feed_forward.experts.w2")]
    public void ExpertNamesOfTheCommonFamiliesAreExpertsNotConvolutions(string name)
    {
        Assert.That(LayerKinds.Classify(name, [8, 64, 96]), Is.EqualTo(LayerKind.Expert));
        using var weight = torch.zeros(8, 64, 96);
        var views = MatrixViews.Create(name, weight, new MatrixViewOptions());
        Assert.That(views.Select(v => (v.Name, v.Count, v.LargerSide, v.SmallerSide)), Is.EqualTo(Enumerable.Range(0, 8).Select(e => ($"{name}[{e}]", 1, 96, 64))));
        foreach (var v in views) v.Dispose();
    }

    [TestCase("encoder.layers.0.conv.weight", 16, 8, 64)] // named as a convolution
    [TestCase("blocks.0.weight", 16, 8, 3)] // a kernel by shape: the last axis short and shorter than both channels
    public void ConvolutionsStayConvolutions(string name, long o, long i, long k)
    {
        Assert.That(LayerKinds.Classify(name, [o, i, k]), Is.EqualTo(LayerKind.Conv));
        Assert.That(LayerKinds.UnknownLayoutReason(name, [o, i, k]), Is.Null);
    }

    [Test]
    public void AnUnknown3DTensorIsSkippedWithItsReason()
    {
        string model = SafetensorsFixtures.Write(
            SafetensorsWriter.Float32("mystery.weight", [8, 64, 96], Values(8 * 64 * 96, 2)),
            SafetensorsWriter.Float32("fc.weight", [16, 12], Values(16 * 12, 3)));

        using var source = new SafetensorsFileSource(model);
        var signature = SpectralEngine.Compute(source);

        Assert.That(signature.Layers.Select(l => l.Name), Is.EqualTo(new[] { "fc.weight" }));
        Assert.That(signature.Skipped.Single().Name, Is.EqualTo("mystery.weight"));
        Assert.That(signature.Skipped.Single().Reason, Does.Contain("neither as experts nor as a convolution").And.Contain("not guessed"));
    }

    [Test]
    public void TheExpertKindRoundTripsThroughJson()
    {
        Assert.That(LayerKind.Expert.ToJsonName(), Is.EqualTo("expert"));
        Assert.That(LayerKinds.FromJsonName("expert"), Is.EqualTo(LayerKind.Expert));
    }
}
