using SpectralGate.Engine.Metrics;
using SpectralGate.Engine.Signatures;
using SpectralGate.Engine.Sources.Safetensors;
using SpectralGate.Engine.Sources.TorchSharp;
using SpectralGate.Engine.Spectra;
using SpectralGate.Tests.Support;
using TorchSharp;
using static TorchSharp.torch;

namespace SpectralGate.Engine.Tests.Metrics;

/// <summary>
/// The health rules on the layers a unit test meets (the measurements behind them: the <c>health</c> benchmark and the
/// table in docs/metrics.md): noise and freshly initialised layers are <c>random_like</c> and, while small, too short a
/// tail for α labels; trained layers are not random-like.
/// </summary>
public class SmallLayerHealthTests
{
    public enum Init { Gaussian, Uniform, KaimingUniform, KaimingNormal }

    private static IReadOnlyList<string> Labels(Tensor w)
    {
        using var w64 = w.to(ScalarType.Float64);
        int rows = (int)w.shape[0], cols = (int)w.shape[1];
        return SpectrumMetrics.Compute(GramSpectrum.Eigenvalues(w64.unsqueeze(0)), Math.Max(rows, cols), Math.Min(rows, cols)).Labels;
    }

    // Kaiming by its definition (fan_in = cols), from a local generator so that parallel tests stay deterministic:
    // nn.Linear's kaiming_uniform_(a = √5) is U(±1/√fan_in), kaiming_normal_ is N(0, 2/fan_in).
    private static Tensor Random(Init init, int rows, int cols)
    {
        var generator = new Generator((ulong)(((int)init * 1009 + rows) * 7919 + cols));
        return init switch
        {
            Init.Gaussian => randn(rows, cols, generator: generator),
            Init.Uniform => rand(rows, cols, generator: generator) - 0.5,
            Init.KaimingUniform => (rand(rows, cols, generator: generator) * 2 - 1) / Math.Sqrt(cols),
            _ => randn(rows, cols, generator: generator) * Math.Sqrt(2.0 / cols),
        };
    }

    [Test]
    public void NoiseAndFreshLayersAreRandomLikeAndGetNoAlphaLabel()
    {
        var layers = (from init in Enum.GetValues<Init>() from rows in new[] { 64, 256 } from cols in new[] { 64, 256 } select (init, rows, cols)).ToArray();
        var labels = layers.Select(l => { using var w = Random(l.init, l.rows, l.cols); return Labels(w); }).ToArray();

        // The spike test is at the Tracy–Widom 99% level: about 1 noise layer in 100 shows one spike and is not random-like.
        Assert.That(labels.Count(l => l.Contains(HealthLabels.RandomLike)), Is.AtLeast(layers.Length - 1));
        // Without the tail rule, 9 of these 16 are labelled under_trained (α from 8 to 37 tail eigenvalues).
        Assert.That(labels, Has.All.Not.Contains(HealthLabels.OverTrained).And.All.Not.Contains(HealthLabels.UnderTrained));
    }

    [TestCase(Init.Gaussian, 1024, 256)]
    [TestCase(Init.KaimingUniform, 1024, 1024)]
    public void LargerNoiseLayersAreRandomLike(Init init, int rows, int cols)
    {
        using var w = Random(init, rows, cols);

        Assert.That(Labels(w), Does.Contain(HealthLabels.RandomLike));
    }

    [Test]
    public void TheTrainedSampleIsNotRandomLike()
    {
        using var source = new SafetensorsFileSource(Path.Combine(TestPaths.RepositoryRoot, "samples", "models", "bars-cnn.safetensors"));
        var signature = SpectralEngine.Compute(source);

        Assert.That(signature.Layers, Has.Count.EqualTo(3));
        Assert.That(signature.Layers.Where(l => l.HasLabel(HealthLabels.RandomLike)).Select(l => l.Name), Is.Empty);
    }

    [Test]
    public void TheTrainedTinyMlpsHiddenLayerIsNotRandomLikeButAFreshOnesIs()
    {
        // fc1 (96 x 32) and head (10 x 64) of the tiny MLP stay indistinguishable from noise after training (0 spikes,
        // mp_softrank 1.12 and 1.16): too few directions learned to leave the bulk. Only fc2 shows it.
        var trained = SpectralEngine.Compute(new ModuleSource(TinyModels.TrainedMlp));
        var fresh = SpectralEngine.Compute(new ModuleSource(TinyModels.NewMlp()));

        Assert.That(trained.Layers.Single(l => l.Name == "fc2.weight").Labels, Does.Not.Contain(HealthLabels.RandomLike));
        Assert.That(fresh.Layers.Single(l => l.Name == "fc2.weight").Labels, Does.Contain(HealthLabels.RandomLike));
    }
}
