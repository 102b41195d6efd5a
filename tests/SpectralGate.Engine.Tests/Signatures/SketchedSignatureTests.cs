using SpectralGate.Tests.Support;
using SpectralGate.Engine.Metrics;
using SpectralGate.Engine.Signatures;
using SpectralGate.Engine.Sources.Safetensors;
using SpectralGate.Engine.Spectra;
using SpectralGate.Engine.Tests.Sources;
using SpectralGate.Engine.Tests.Spectra;
using static TorchSharp.torch;

namespace SpectralGate.Engine.Tests.Signatures;

/// <summary>The engine in sketched mode, on a layer whose spectrum is planted (a power law with α = 3).</summary>
public class SketchedSignatureTests
{
    private static readonly double[] Lambda = PlantedSpectra.PowerLaw(768, alpha: 3, xmin: 1);

    private static string Model()
    {
        using var w = PlantedSpectra.Matrix(Lambda, rows: 1024, seed: 11);
        using var small = PlantedSpectra.Matrix(PlantedSpectra.PowerLaw(64, 3, 1), rows: 96, seed: 12);
        return SafetensorsFixtures.Write(
            SafetensorsWriter.Float32("big.weight", [1024, 768], w.data<float>().ToArray()),
            SafetensorsWriter.Float32("small.weight", [96, 64], small.data<float>().ToArray()));
    }

    private static SpectralSignature Compute(string path, SketchOptions? sketch)
    {
        using var source = new SafetensorsFileSource(path);
        return SpectralEngine.Compute(source, new SignatureOptions { Sketch = sketch, Precision = SpectrumPrecision.Float32 });
    }

    [Test]
    public void SketchedMetricsStayCloseToThePlantedSpectrum()
    {
        var layer = Compute(Model(), new SketchOptions()).Layer("big.weight")!;
        double sum = Lambda.Sum();

        Assert.Multiple(() =>
        {
            Assert.That(layer[MetricNames.SpectralNorm], Is.EqualTo(Math.Sqrt(Lambda[0])).Within(0.01).Percent);
            Assert.That(layer[MetricNames.FrobeniusNorm], Is.EqualTo(Math.Sqrt(sum)).Within(0.001).Percent);
            Assert.That(layer[MetricNames.StableRank], Is.EqualTo(sum / Lambda[0]).Within(0.1).Percent);
            Assert.That(layer[MetricNames.Alpha], Is.EqualTo(3).Within(0.3));
            Assert.That(layer[MetricNames.ConditionNumber], Is.Null, "σ_min is beyond a sketch");
        });
    }

    [Test]
    public void SmallMatricesStayExactAndTheSettingsSaySketched()
    {
        string model = Model();
        var sketched = Compute(model, new SketchOptions());
        var exact = Compute(model, null);

        Assert.That(sketched.Settings["sketch"], Is.EqualTo("block_lanczos,block=16,steps=8,exact_up_to=512,seed=0"));
        Assert.That(exact.Settings.ContainsKey("sketch"), Is.False);
        Assert.That(sketched.Layer("small.weight")!.Metrics, Is.EqualTo(exact.Layer("small.weight")!.Metrics));
    }

    [Test]
    public void ASketchedSignatureIsTheSameBytesEveryRun()
    {
        string model = Model();
        byte[] first = SignatureJson.ToBytes(Compute(model, new SketchOptions()));
        byte[] second = SignatureJson.ToBytes(Compute(model, new SketchOptions()));

        Assert.That(second, Is.EqualTo(first));
    }

    [Test]
    public void ExactAndSketchedSignaturesAreByteIdenticalAcrossThreadCounts()
    {
        // 1100 x 1030: the blocked lower-triangle Gram in exact mode, the Lanczos sketch in sketched mode.
        double[] lambda = PlantedSpectra.PowerLaw(1030, alpha: 3, xmin: 1);
        using var w = PlantedSpectra.Matrix(lambda, rows: 1100, seed: 13);
        string model = SafetensorsFixtures.Write(SafetensorsWriter.Float32("w.weight", [1100, 1030], w.data<float>().ToArray()));
        int threads = get_num_threads();
        try
        {
            foreach (var sketch in new[] { null, new SketchOptions() })
            {
                var bytes = new List<byte[]>();
                foreach (int n in new[] { 1, 2, 3 })
                {
                    set_num_threads(n);
                    using var source = new SafetensorsFileSource(model);
                    bytes.Add(SignatureJson.ToBytes(SpectralEngine.Compute(source, new SignatureOptions { Sketch = sketch })));
                }
                Assert.That(bytes[1], Is.EqualTo(bytes[0]), sketch is null ? "exact" : "sketched");
                Assert.That(bytes[2], Is.EqualTo(bytes[0]), sketch is null ? "exact" : "sketched");
            }
        }
        finally
        {
            set_num_threads(threads);
        }
    }
}
