using SpectralGate.Tests.Support;
using SpectralGate.Engine.Deltas;
using SpectralGate.Engine.Sources.Safetensors;
using SpectralGate.Engine.Tests.Sources;
using static TorchSharp.torch;

namespace SpectralGate.Engine.Tests.Deltas;

public class DeltaEngineTests
{
    private static DeltaSignature Delta(string basePath, string tunedPath, DeltaOptions? options = null)
    {
        using var baseSource = new SafetensorsFileSource(basePath);
        using var tuned = new SafetensorsFileSource(tunedPath);
        return DeltaEngine.Compute(baseSource, tuned, options);
    }

    [Test]
    public void APlantedRankThreeUpdateHasRankThreeAndThePlantedSingularValues()
    {
        // ΔW = U·diag(5, 3, 2)·Vᵀ with orthonormal U (64×3) and V (48×3): σ(ΔW) = 5, 3, 2 and nothing else.
        double[] sigma = [5, 3, 2];
        Tensor wBase = DeltaFixtures.Gaussian(64, 48, seed: 1);
        Tensor delta = (DeltaFixtures.Orthonormal(64, 3, seed: 2) * tensor(sigma).unsqueeze(0)).matmul(DeltaFixtures.Orthonormal(48, 3, seed: 3).t());
        var result = Delta(
            DeltaFixtures.Checkpoint(("q.weight", wBase), ("same.weight", wBase)),
            DeltaFixtures.Checkpoint(("q.weight", wBase + delta), ("same.weight", wBase)));

        var layer = result.Layer("q.weight")!;
        double sumSquares = sigma.Sum(s => s * s);
        double baseFrobenius = Math.Sqrt(wBase.square().sum().item<double>());
        double entropy = -sigma.Sum(s => s / sigma.Sum() * Math.Log(s / sigma.Sum()));
        Assert.Multiple(() =>
        {
            Assert.That(layer.Status, Is.EqualTo(DeltaStatus.Changed));
            Assert.That(layer[DeltaMetricNames.NumericalRank], Is.EqualTo(3));
            Assert.That(layer[DeltaMetricNames.SpectralNorm], Is.EqualTo(5).Within(1e-9));
            Assert.That(layer[DeltaMetricNames.FrobeniusNorm], Is.EqualTo(Math.Sqrt(sumSquares)).Within(1e-9));
            Assert.That(layer[DeltaMetricNames.StableRank], Is.EqualTo(sumSquares / 25).Within(1e-9));
            Assert.That(layer[DeltaMetricNames.EffectiveRank], Is.EqualTo(Math.Exp(entropy)).Within(1e-9));
            Assert.That(layer[DeltaMetricNames.RelativeChange], Is.EqualTo(Math.Sqrt(sumSquares) / baseFrobenius).Within(1e-9));
            Assert.That(layer[DeltaMetricNames.MupScale], Is.EqualTo(Math.Sqrt(64.0 / 48)).Within(1e-12));
            Assert.That(layer[DeltaMetricNames.SpectralNormMup], Is.EqualTo(5 / Math.Sqrt(64.0 / 48)).Within(1e-9));
            Assert.That(result.Layer("same.weight")!.Status, Is.EqualTo(DeltaStatus.Unchanged));
            Assert.That(result.Layer("same.weight")![DeltaMetricNames.RelativeChange], Is.EqualTo(0));
        });
    }

    [Test]
    public void ARankFourUpdateSavedInFloat32HasRankFourNotTheRankOfItsRounding()
    {
        // fl32(W + ΔW) − fl32(W) = ΔW + E with full-rank rounding E ~ 2^-24·|W|; E's singular values (~1e-8) sit above the
        // float64 rank floor but below the storage floor.
        Tensor wBase = DeltaFixtures.Gaussian(64, 64, seed: 9) / 8;
        Tensor delta = 0.002 * DeltaFixtures.Gaussian(64, 4, seed: 10).matmul(DeltaFixtures.Gaussian(4, 64, seed: 11));
        string basePath = SafetensorsFixtures.Write(SafetensorsWriter.Float32("w", [64, 64], wBase.to(ScalarType.Float32).data<float>().ToArray()));
        string tunedPath = SafetensorsFixtures.Write(SafetensorsWriter.Float32("w", [64, 64], (wBase + delta).to(ScalarType.Float32).data<float>().ToArray()));

        var layer = Delta(basePath, tunedPath).Layer("w")!;

        Assert.That(layer[DeltaMetricNames.NumericalRank], Is.EqualTo(4));
    }

    [Test]
    public void RotatingTheTopSingularDirectionBy30DegreesGivesA30DegreePrincipalAngle()
    {
        // W = Σ s_i e_i v_iᵀ. Tuned: v_1 = cos θ e_1 + sin θ e_3 (and v_3 turned with it). The top-2 right subspaces
        // span(e_1, e_2) and span(v_1, e_2) meet at principal angles 0 and θ.
        double theta = Math.PI / 6;
        double[] s = [10, 8, 3, 2.9, 2.8, 2.7, 2.6, 2.5, 2.4, 2.3, 2.2, 2.1];
        Tensor wBase = zeros(16, 12, ScalarType.Float64);
        for (int i = 0; i < s.Length; i++) wBase[i, i] = tensor(s[i]);
        Tensor rotation = eye(12, dtype: ScalarType.Float64);
        rotation[0, 0] = tensor(Math.Cos(theta)); rotation[0, 2] = tensor(Math.Sin(theta));
        rotation[2, 0] = tensor(-Math.Sin(theta)); rotation[2, 2] = tensor(Math.Cos(theta));
        Tensor tuned = wBase.matmul(rotation);

        var layer = Delta(DeltaFixtures.Checkpoint(("w", wBase)), DeltaFixtures.Checkpoint(("w", tuned)), new DeltaOptions { SubspaceRank = 2 }).Layer("w")!;

        Assert.Multiple(() =>
        {
            Assert.That(layer[DeltaMetricNames.SubspaceOverlap], Is.EqualTo(Math.Cos(theta)).Within(1e-9));
            Assert.That(layer[DeltaMetricNames.SubspaceMaxAngle], Is.EqualTo(30).Within(1e-6));
        });
    }

    [Test]
    public void LayersOnOneSideAreListedAndAResizedLayerSaysSo()
    {
        Tensor w = DeltaFixtures.Gaussian(16, 16, seed: 4);
        var result = Delta(
            DeltaFixtures.Checkpoint(("a", w), ("gone", w), ("embed", DeltaFixtures.Gaussian(32, 16, seed: 5))),
            DeltaFixtures.Checkpoint(("a", w), ("new", w), ("embed", DeltaFixtures.Gaussian(40, 16, seed: 5))));

        Assert.Multiple(() =>
        {
            Assert.That(result.OnlyInBase, Is.EqualTo(new[] { "gone" }));
            Assert.That(result.OnlyInTuned, Is.EqualTo(new[] { "new" }));
            Assert.That(result.Layer("embed")!.Status, Is.EqualTo(DeltaStatus.ShapeChanged));
            Assert.That(result.Layer("embed")!.BaseShape, Is.EqualTo(new long[] { 32, 16 }));
            Assert.That(result.Layer("a")!.Status, Is.EqualTo(DeltaStatus.Unchanged));
        });
    }

    // 700×900 float64 is large enough for MKL to split eigh, QR and the Gram GEMMs over two threads, which changes their
    // last bits. One layer runs on the caller's thread (no worker), so only the delta's own single-threading keeps the
    // bytes; three layers run on two one-thread workers, whose results must come back in order.
    [TestCase(1)]
    [TestCase(3)]
    public void TheDeltaFileIsByteIdenticalAtOneAndTwoThreads(int layers)
    {
        var bases = new List<(string, Tensor)>();
        var tunedLayers = new List<(string, Tensor)>();
        for (int i = 0; i < layers; i++)
        {
            Tensor wBase = DeltaFixtures.Gaussian(700, 900, seed: 6 + 3 * i);
            bases.Add(($"layers.{i}.w", wBase));
            tunedLayers.Add(($"layers.{i}.w", wBase + 0.05 * DeltaFixtures.Gaussian(700, 16, seed: 7 + 3 * i).matmul(DeltaFixtures.Gaussian(16, 900, seed: 8 + 3 * i))));
        }
        string basePath = DeltaFixtures.Checkpoint(bases.ToArray());
        string tunedPath = DeltaFixtures.Checkpoint(tunedLayers.ToArray());
        var options = new DeltaOptions();

        int threads = get_num_threads();
        try
        {
            set_num_threads(1);
            DeltaSignature one = Delta(basePath, tunedPath, options);
            set_num_threads(2);
            DeltaSignature two = Delta(basePath, tunedPath, options);
            Assert.Multiple(() =>
            {
                // The unrounded metrics too: the file's rounding to 15 digits would hide most last-bit differences.
                foreach (var layer in one.Layers)
                    foreach (var (metric, value) in layer.Metrics)
                        Assert.That(two.Layer(layer.Name)![metric], Is.EqualTo(value), $"{layer.Name} {metric}");
                Assert.That(DeltaJson.ToBytes(two), Is.EqualTo(DeltaJson.ToBytes(one)));
            });
        }
        finally
        {
            set_num_threads(threads);
        }
    }
}
