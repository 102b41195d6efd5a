using SpectralGate.Tests.Support;
using SpectralGate.Engine.Matrices;
using SpectralGate.Engine.Metrics;
using SpectralGate.Engine.Signatures;
using SpectralGate.Engine.Sources;
using SpectralGate.Engine.Sources.Safetensors;
using SpectralGate.Engine.Sources.TorchSharp;
using SpectralGate.Engine.Tests.Sources;
using TorchSharp;
using static TorchSharp.torch;

namespace SpectralGate.Engine.Tests.Signatures;

public class SpectralEngineTests
{
    private static SpectralSignature Signature(SignatureOptions? options, params SafetensorsWriter.Tensor[] tensors)
    {
        using var source = new SafetensorsFileSource(SafetensorsFixtures.Write(tensors));
        return SpectralEngine.Compute(source, options);
    }

    private static float[] Diagonal(int rows, int cols, Func<int, double> value)
    {
        var data = new float[rows * cols];
        for (int i = 0; i < Math.Min(rows, cols); i++) data[i * cols + i] = (float)value(i);
        return data;
    }

    [Test]
    public void ADiagonalMatrixHasItsSquaredEntriesAsSpectrum()
    {
        // diag(1..16) in a 24 x 16 matrix: σ = 16..1, λ = σ².
        var s = Signature(null, SafetensorsWriter.Float32("w", [24, 16], Diagonal(24, 16, i => i + 1)));
        var layer = s.Layers.Single();
        double sumSquares = Enumerable.Range(1, 16).Sum(i => (double)i * i);

        Assert.Multiple(() =>
        {
            Assert.That(layer[MetricNames.SpectralNorm], Is.EqualTo(16).Within(1e-9));
            Assert.That(layer[MetricNames.FrobeniusNorm], Is.EqualTo(Math.Sqrt(sumSquares)).Within(1e-9));
            Assert.That(layer[MetricNames.StableRank], Is.EqualTo(sumSquares / 256).Within(1e-9));
            Assert.That(layer[MetricNames.ConditionNumber], Is.EqualTo(16).Within(1e-6));
            Assert.That(layer[MetricNames.NumericalRank], Is.EqualTo(16));
            Assert.That(layer.Kind, Is.EqualTo(LayerKind.Linear));
        });
    }

    [Test]
    public void AnOrthogonalMatrixHasAFlatSpectrum()
    {
        var q = linalg.qr(randn(32, 32, dtype: ScalarType.Float64, generator: new Generator(4))).Q.to(ScalarType.Float32);
        var s = Signature(null, SafetensorsWriter.Float32("q", [32, 32], q.data<float>().ToArray()));
        var layer = s.Layers.Single();

        Assert.Multiple(() =>
        {
            Assert.That(layer[MetricNames.SpectralNorm], Is.EqualTo(1).Within(1e-6));
            Assert.That(layer[MetricNames.StableRank], Is.EqualTo(32).Within(1e-4));
            Assert.That(layer[MetricNames.EffectiveRank], Is.EqualTo(32).Within(1e-4));
            Assert.That(layer[MetricNames.SpectralEntropy], Is.EqualTo(1).Within(1e-6));
            Assert.That(layer[MetricNames.ConditionNumber], Is.EqualTo(1).Within(1e-5));
        });
    }

    [Test]
    public void APlantedSpikeAboveTheBbpThresholdIsFoundAndOneBelowIsNot()
    {
        // W = G + θ √N u vᵀ, G ~ N(0, 1), N = 800, M = 200 (Q = 4): the BBP threshold is θ = Q^(-1/4) ≈ 0.707.
        const int n = 800, m = 200;
        var g = new Generator(11);
        var noise = randn(n, m, dtype: ScalarType.Float64, generator: g);
        var u = randn(n, 1, dtype: ScalarType.Float64, generator: g); u /= u.norm();
        var v = randn(1, m, dtype: ScalarType.Float64, generator: g); v /= v.norm();
        float[] With(double theta) => (noise + theta * Math.Sqrt(n) * u.matmul(v)).to(ScalarType.Float32).data<float>().ToArray();

        var signature = Signature(null,
            SafetensorsWriter.Float32("above", [n, m], With(2.0)),
            SafetensorsWriter.Float32("below", [n, m], With(0.3)),
            SafetensorsWriter.Float32("noise", [n, m], With(0)));

        Assert.Multiple(() =>
        {
            Assert.That(signature.Layer("above")![MetricNames.NumSpikes], Is.EqualTo(1));
            Assert.That(signature.Layer("below")![MetricNames.NumSpikes], Is.EqualTo(0));
            Assert.That(signature.Layer("noise")![MetricNames.NumSpikes], Is.EqualTo(0));
            Assert.That(signature.Layer("noise")![MetricNames.MpSigma], Is.EqualTo(1).Within(0.03));
        });
    }

    [Test]
    public void ConvKernelsPoolOneMatrixPerKernelPosition()
    {
        // [out=16, in=8, 3, 3] where position (kh, kw) holds (kh*3 + kw + 1) * I (16 x 8, identity on the top block).
        var data = new float[16 * 8 * 9];
        for (int o = 0; o < 16; o++)
            for (int i = 0; i < 8; i++)
                for (int p = 0; p < 9; p++)
                    if (o == i) data[((o * 8) + i) * 9 + p] = p + 1;

        var layer = Signature(null, SafetensorsWriter.Float32("conv.weight", [16, 8, 3, 3], data)).Layers.Single();
        var flat = Signature(new SignatureOptions { Matrices = new MatrixViewOptions { ConvMode = ConvMatrixMode.Flatten } },
            SafetensorsWriter.Float32("conv.weight", [16, 8, 3, 3], data)).Layers.Single();

        // Pooled ESD: for each position p, eight eigenvalues (p+1)²: Σλ = 8·Σ(p+1)², λ_max = 81.
        double pooledSum = 8 * Enumerable.Range(1, 9).Sum(k => (double)k * k);
        Assert.Multiple(() =>
        {
            Assert.That(layer.Kind, Is.EqualTo(LayerKind.Conv));
            Assert.That(layer[MetricNames.SpectralNorm], Is.EqualTo(9).Within(1e-9));
            Assert.That(layer[MetricNames.StableRank], Is.EqualTo(pooledSum / 81).Within(1e-9));
            // Flattened 16 x 72: each of the 8 rows o holds 1..9, so W Wᵀ has 8 eigenvalues Σ(p+1)² = 285.
            Assert.That(flat[MetricNames.SpectralNorm], Is.EqualTo(Math.Sqrt(285)).Within(1e-9));
            Assert.That(flat[MetricNames.StableRank], Is.EqualTo(8).Within(1e-9));
        });
    }

    [Test]
    public void FusedProjectionsAreReportedWholeAndSplitOnRequest()
    {
        var random = new Random(3);
        float[] data = Enumerable.Range(0, 96 * 32).Select(_ => (float)random.NextDouble()).ToArray();
        var options = new SignatureOptions { Matrices = new MatrixViewOptions { SplitFusedProjections = true } };

        var s = Signature(options, SafetensorsWriter.Float32("attn.in_proj_weight", [96, 32], data));

        Assert.That(s.Layers.Select(l => (l.Name, string.Join("x", l.Shape))), Is.EqualTo(new[]
        {
            ("attn.in_proj_weight", "96x32"), ("attn.in_proj_weight[k]", "32x32"), ("attn.in_proj_weight[q]", "32x32"), ("attn.in_proj_weight[v]", "32x32"),
        }));
    }

    [Test]
    public void NonFiniteAndAllZeroWeightsAreLabelledNotFatal()
    {
        float[] nan = Enumerable.Repeat(1f, 64).ToArray();
        nan[5] = float.NaN;
        float[] inf = Enumerable.Repeat(1f, 64).ToArray();
        inf[7] = float.PositiveInfinity;

        var s = Signature(null,
            SafetensorsWriter.Float32("nan", [8, 8], nan),
            SafetensorsWriter.Float32("inf", [8, 8], inf),
            SafetensorsWriter.Float32("zero", [8, 8], new float[64]));

        Assert.Multiple(() =>
        {
            Assert.That(s.Layer("nan")!.Labels, Is.EqualTo(new[] { HealthLabels.NonFinite }));
            Assert.That(s.Layer("nan")!.Metrics, Is.Empty);
            Assert.That(s.Layer("inf")!.Labels, Is.EqualTo(new[] { HealthLabels.NonFinite }));
            Assert.That(s.Layer("zero")!.Labels, Is.EqualTo(new[] { HealthLabels.Degenerate }));
            Assert.That(s.Layer("zero")![MetricNames.SpectralNorm], Is.Null);
        });
    }

    [Test]
    public void VectorsScalarsEmptyAndSmallTensorsAreSkippedWithAReason()
    {
        var s = Signature(null,
            SafetensorsWriter.Float32("bias", [16], new float[16]),
            SafetensorsWriter.Float32("scalar", [], [1f]),
            SafetensorsWriter.Float32("empty", [0, 16], []),
            SafetensorsWriter.Float32("tiny", [4, 16], new float[64]),
            new SafetensorsWriter.Tensor("ids", "I64", [8, 8], new byte[512]));

        Assert.That(s.Layers, Is.Empty);
        Assert.That(s.Skipped.Select(k => (k.Name, k.Reason)), Is.EquivalentTo(new[]
        {
            ("bias", "1-D tensor"), ("scalar", "scalar"), ("empty", "empty tensor"),
            ("tiny", "smaller side 4 is below the minimum 8"), ("ids", "dtype I64 is not a floating type"),
        }));
        Assert.That(s.Model.ParameterCount, Is.EqualTo(16 + 1 + 0 + 64 + 64));
    }

    [Test]
    public void IncludeAndExcludeGlobsSelectLayers()
    {
        var t = Enumerable.Range(0, 64).Select(i => (float)Math.Sin(i)).ToArray();
        var options = new SignatureOptions { Selection = new TensorSelection { Include = ["blocks.*.fc?.weight"], Exclude = ["blocks.1.**"] } };

        var s = Signature(options,
            SafetensorsWriter.Float32("blocks.0.fc1.weight", [8, 8], t),
            SafetensorsWriter.Float32("blocks.1.fc1.weight", [8, 8], t),
            SafetensorsWriter.Float32("blocks.0.attn.weight", [8, 8], t));

        Assert.That(s.Layers.Select(l => l.Name), Is.EqualTo(new[] { "blocks.0.fc1.weight" }));
        Assert.That(s.Settings["include"], Is.EqualTo("blocks.*.fc?.weight"));
    }

    [Test]
    public void ALiveModuleAndItsSafetensorsGiveTheSameMetrics()
    {
        torch.manual_seed(5);
        var module = nn.Sequential(("fc1", nn.Linear(16, 32)), ("fc2", nn.Linear(32, 24)));
        var tensors = module.named_parameters().Select(p => SafetensorsWriter.Float32(p.name, p.parameter.shape, p.parameter.detach().data<float>().ToArray())).ToArray();

        var live = SpectralEngine.Compute(new ModuleSource(module));
        var file = Signature(null, tensors);

        Assert.That(live.Layers.Select(l => l.Metrics), Is.EqualTo(file.Layers.Select(l => l.Metrics)));
        Assert.That(live.Model.Format, Is.EqualTo("module"));
    }

    [Test]
    public void Float32PrecisionAgreesWithFloat64OnTheHeavyTailMetrics()
    {
        var w = randn(256, 128, generator: new Generator(8)) / (rand(256, 128, generator: new Generator(9)) + 0.2);
        var tensor = SafetensorsWriter.Float32("w", [256, 128], w.data<float>().ToArray());

        var f64 = Signature(null, tensor).Layers.Single();
        var f32 = Signature(new SignatureOptions { Precision = global::SpectralGate.Engine.Spectra.SpectrumPrecision.Float32 }, tensor).Layers.Single();

        Assert.Multiple(() =>
        {
            Assert.That(f32[MetricNames.Alpha], Is.EqualTo(f64[MetricNames.Alpha]!.Value).Within(1e-3).Percent);
            Assert.That(f32[MetricNames.StableRank], Is.EqualTo(f64[MetricNames.StableRank]!.Value).Within(1e-3).Percent);
            Assert.That(f32[MetricNames.SpectralNorm], Is.EqualTo(f64[MetricNames.SpectralNorm]!.Value).Within(1e-4).Percent);
        });
    }
}
