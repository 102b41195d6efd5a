using SpectralGate.Tests.Support;
using SpectralGate.Engine.Metrics;
using SpectralGate.Engine.Signatures;
using SpectralGate.Engine.Sources.Safetensors;
using SpectralGate.Engine.Spectra;
using SpectralGate.Engine.Tests.Spectra;
using static TorchSharp.torch;

namespace SpectralGate.Engine.Tests.Signatures;

/// <summary>
/// The same signature bytes at 1, 2 and 4 libtorch threads in every mode, on a matrix wide enough (≥ 1024) that libtorch
/// splits its GEMMs, QR and eigvalsh across threads: set in-process with set_num_threads, and through OMP_NUM_THREADS in
/// a child CLI process.
/// </summary>
public class ThreadCountDeterminismTests
{
    private static readonly int[] ThreadCounts = [1, 2, 4];

    // 1100 x 1030 heavy-tailed, with a Gaussian bulk: every metric is defined in float64, and its small eigenvalues
    // (where float32 rounding shows first) are not exact values.
    private static string Model()
    {
        double[] lambda = PlantedSpectra.PowerLaw(1030, alpha: 2.5, xmin: 1);
        using var w = PlantedSpectra.Matrix(lambda, rows: 1100, seed: 21);
        return SafetensorsFixtures.Write(SafetensorsWriter.Float32("w.weight", [1100, 1030], w.data<float>().ToArray()));
    }

    private static IEnumerable<TestCaseData> Modes()
    {
        yield return new TestCaseData(SpectrumPrecision.Float64, false).SetName("float64 exact with FARMS");
        yield return new TestCaseData(SpectrumPrecision.Float32, false).SetName("float32 exact with FARMS");
        yield return new TestCaseData(SpectrumPrecision.Float64, true).SetName("float64 sketch");
        yield return new TestCaseData(SpectrumPrecision.Float32, true).SetName("float32 sketch");
    }

    [TestCaseSource(nameof(Modes))]
    public void SignatureBytesDoNotDependOnTheInProcessThreadCount(SpectrumPrecision precision, bool sketch)
    {
        string model = Model();
        var options = new SignatureOptions { Precision = precision, Sketch = sketch ? new SketchOptions() : null, Farms = !sketch };
        int threads = get_num_threads();
        var bytes = new List<byte[]>();
        try
        {
            foreach (int n in ThreadCounts)
            {
                set_num_threads(n);
                using var source = new SafetensorsFileSource(model);
                bytes.Add(SignatureJson.ToBytes(SpectralEngine.Compute(source, options)));
                Assert.That(get_num_threads(), Is.EqualTo(n), "the caller's thread count is restored");
            }
        }
        finally
        {
            set_num_threads(threads);
        }

        Assert.Multiple(() =>
        {
            for (int i = 1; i < bytes.Count; i++)
                Assert.That(bytes[i], Is.EqualTo(bytes[0]), $"{ThreadCounts[i]} threads against 1");
        });
    }

    [Test]
    public void CliSignatureBytesDoNotDependOnOmpNumThreads()
    {
        string model = Model();
        string folder = Path.Combine(Path.GetTempPath(), "sg-omp-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        try
        {
            foreach (string[] mode in new[] { new[] { "--dtype", "float32", "--farms" }, new[] { "--dtype", "float32", "--sketch" } })
            {
                var outputs = new List<byte[]>();
                foreach (int n in ThreadCounts)
                {
                    string json = Path.Combine(folder, $"omp{n}.json");
                    var result = CliRunner.RunWith(null, new Dictionary<string, string> { ["OMP_NUM_THREADS"] = n.ToString(System.Globalization.CultureInfo.InvariantCulture) },
                        ["inspect", model, "--json", json, .. mode]);
                    Assert.That(result.ExitCode, Is.Zero, result.Error);
                    outputs.Add(File.ReadAllBytes(json));
                }
                Assert.That(outputs[1], Is.EqualTo(outputs[0]), $"{string.Join(' ', mode)}: OMP_NUM_THREADS=2 against 1");
                Assert.That(outputs[2], Is.EqualTo(outputs[0]), $"{string.Join(' ', mode)}: OMP_NUM_THREADS=4 against 1");
            }
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Test]
    public void Float32RankMetricsAreUndefinedRatherThanTheGramFloor()
    {
        // 1024² Gaussian: float64 resolves every singular value (σ_min/σ_max ≈ 1e-4 to 1e-5), a float32 Gram does not.
        using var w = randn([1024, 1024], ScalarType.Float32, generator: new Generator(5));
        string model = SafetensorsFixtures.Write(SafetensorsWriter.Float32("g.weight", [1024, 1024], w.data<float>().ToArray()));
        using var source64 = new SafetensorsFileSource(model);
        using var source32 = new SafetensorsFileSource(model);
        var f64 = SpectralEngine.Compute(source64).Layers.Single();
        var f32 = SpectralEngine.Compute(source32, new SignatureOptions { Precision = SpectrumPrecision.Float32 }).Layers.Single();

        Assert.Multiple(() =>
        {
            Assert.That(f64[MetricNames.NumericalRank], Is.EqualTo(1024), "a Gaussian square matrix has full rank");
            foreach (string metric in SpectrumMetrics.Float32Undefined)
            {
                Assert.That(f64[metric], Is.Not.Null, metric);
                Assert.That(f32.Metrics.ContainsKey(metric), Is.True, metric);
                Assert.That(f32[metric], Is.Null, metric);
            }
            Assert.That(f32[MetricNames.StableRank], Is.EqualTo(f64[MetricNames.StableRank]!.Value).Within(1e-3).Percent);
        });
    }
}
