using SpectralGate.Tests.Support;
using SpectralGate.Engine.Signatures;
using SpectralGate.Engine.Sources.Safetensors;
using SpectralGate.Engine.Tests.Spectra;
using static TorchSharp.torch;

namespace SpectralGate.Engine.Tests.Signatures;

/// <summary>
/// A model's layers computed side by side on two workers (<c>OneThreadWorkers</c>) give the bytes of one after another,
/// every layer reaches the spectrum observer, and progress counts every tensor once.
/// </summary>
[NonParallelizable] // sets libtorch's thread count
public class LayersSideBySideTests
{
    private static string Model()
    {
        var tensors = new List<SafetensorsWriter.Tensor>();
        int[][] shapes = [[300, 200], [200, 300], [256, 256], [400, 120], [120, 400], [333, 222]];
        for (int i = 0; i < shapes.Length; i++)
        {
            int rows = shapes[i][0], cols = shapes[i][1];
            using var w = PlantedSpectra.Matrix(PlantedSpectra.PowerLaw(Math.Min(rows, cols), alpha: 2 + 0.3 * i, xmin: 1), rows: Math.Max(rows, cols), seed: 40 + i);
            var data = w.data<float>().ToArray();
            tensors.Add(SafetensorsWriter.Float32($"layers.{i}.weight", [Math.Max(rows, cols), Math.Min(rows, cols)], data));
            tensors.Add(SafetensorsWriter.Float32($"layers.{i}.bias", [4], [1, 2, 3, 4]));
        }
        return SafetensorsFixtures.Write([.. tensors]);
    }

    private sealed class Counter : IProgress<SignatureProgress>
    {
        public List<string> Names { get; } = [];

        public void Report(SignatureProgress value)
        {
            lock (Names) Names.Add(value.LastTensor);
        }
    }

    [TestCase(false)]
    [TestCase(true)]
    public void TwoWorkersGiveTheBytesOfOne(bool farms)
    {
        string model = Model();
        int saved = get_num_threads();
        var bytes = new List<byte[]>();
        var observed = new List<HashSet<string>>();
        var progress = new List<Counter>();
        try
        {
            foreach (int threads in new[] { 1, 2 })
            {
                set_num_threads(threads);
                var seen = new HashSet<string>();
                var counter = new Counter();
                var options = new SignatureOptions { Farms = farms, SpectrumObserver = (layer, _) => seen.Add(layer) };
                using var source = new SafetensorsFileSource(model);
                bytes.Add(SignatureJson.ToBytes(SpectralEngine.Compute(source, options, counter)));
                observed.Add(seen);
                progress.Add(counter);
                Assert.That(get_num_threads(), Is.EqualTo(threads), "the caller's thread count is kept");
            }
        }
        finally
        {
            set_num_threads(saved);
        }

        Assert.That(bytes[1], Is.EqualTo(bytes[0]));
        Assert.That(observed[1], Is.EquivalentTo(Enumerable.Range(0, 6).Select(i => $"layers.{i}.weight")));
        Assert.That(observed[0], Is.EquivalentTo(observed[1]));
        Assert.That(progress[1].Names, Is.EquivalentTo(progress[0].Names).And.Count.EqualTo(12));
    }
}
