using SpectralGate.Engine.Baselines;
using SpectralGate.Engine.Metrics;
using SpectralGate.Engine.Signatures;
using SpectralGate.Engine.Sources;
using SpectralGate.Engine.Sources.Safetensors;
using TorchSharp;
using static TorchSharp.torch;

/// <summary>
/// Does esd_distance tell corruptions from benign noise better than the scalar metrics (docs/tolerances.md)? On the
/// bundled bars-cnn and a trained MLP (64 -> 256 -> 256 -> 10): an int8 round trip of every layer (per-row absmax,
/// symmetric), 50% magnitude pruning of one layer, one layer re-initialised (nn.Linear's Kaiming uniform), against
/// 1e-4 relative Gaussian noise on every layer (5 seeds). For each metric: its value on the layer(s) hit, as |Δ|/allowed
/// under the default tolerance ("x tol"), and the margin: that over the largest the noise ever gave.
///   dotnet run -c Release --project tests/SpectralGate.Benchmarks -- esd-separation
/// </summary>
internal static class EsdSeparation
{
    private static readonly string[] Scalars =
    [
        MetricNames.Alpha, MetricNames.StableRank, MetricNames.LogSpectralNorm, MetricNames.EffectiveRank,
        MetricNames.SpectralEntropy, MetricNames.ConditionNumber, MetricNames.MpSoftRank, MetricNames.NumSpikes,
    ];

    public static void Run()
    {
        torch.set_num_threads(1);
        var generator = new Generator(23);
        string sample = Path.Combine(AppContext.BaseDirectory, "../../../../../samples/models/bars-cnn.safetensors");
        var models = new List<(string Name, List<(string Name, Tensor W)> Weights)>();
        using (var source = new SafetensorsFileSource(sample))
            models.Add(("bars-cnn", source.Tensors.Where(e => e.Shape.Length >= 2).Select(e => (e.Name, e.Load(CPU, ScalarType.Float64))).ToList()));
        models.Add(("mlp-256", HealthCalibration.TrainMlp(256, generator).Select(p => (p.Name, p.Weight.detach().to(ScalarType.Float64))).ToList()));

        foreach (var (model, weights) in models)
        {
            var baseline = Signature(weights);
            string hit = weights.OrderByDescending(w => w.W.numel()).First().Name; // the largest layer takes the one-layer corruptions
            var noise = Enumerable.Range(0, 5).Select(seed => Compare(baseline, Signature(weights.Select(w => (w.Name, Noise(w.W, 1e-4, seed))).ToList()), null)).ToList();
            var cases = new (string Name, string? Layer, List<(string, Tensor)> Weights)[]
            {
                ("int8 all layers", null, weights.Select(w => (w.Name, Int8RoundTrip(w.W))).ToList()),
                ($"prune 50% {hit}", hit, weights.Select(w => (w.Name, w.Name == hit ? Prune(w.W, 0.5) : w.W)).ToList()),
                ($"re-init {hit}", hit, weights.Select(w => (w.Name, w.Name == hit ? Reinitialised(w.W) : w.W)).ToList()),
            };
            Console.WriteLine($"\n{model}: {weights.Count} layers; noise = max over 5 seeds of 1e-4 relative Gaussian noise on every layer");
            Console.WriteLine($"{"case",-26} {"metric",-18} {"value",12} {"x tol",10} {"noise x tol",12} {"margin",10}");
            var noiseMax = Columns().ToDictionary(m => m, m => noise.Max(n => n.Values.Max(layer => layer.GetValueOrDefault(m))));
            var noiseValue = Columns().ToDictionary(m => m, m => noise.Max(n => n.Raw.Max(layer => layer.GetValueOrDefault(m))));
            foreach (var (name, layer, corrupted) in cases)
            {
                var c = Compare(baseline, Signature(corrupted), layer);
                foreach (string m in Columns())
                {
                    double excess = c.Values.Max(l => l.GetValueOrDefault(m)), raw = c.Raw.Max(l => l.GetValueOrDefault(m));
                    string margin = noiseMax[m] > 0 ? (excess / noiseMax[m]).ToString("G3") : excess > 0 ? "inf" : "-";
                    Console.WriteLine($"{name,-26} {m,-18} {raw,12:G4} {excess,10:G4} {noiseMax[m],12:G3} {margin,10}");
                }
            }
            Console.WriteLine($"noise raw values: {string.Join(", ", Columns().Select(m => $"{m} {noiseValue[m]:G3}"))}");
        }
    }

    private static IEnumerable<string> Columns() => Scalars.Prepend(MetricNames.EsdDistance);

    /// <summary>Per layer: each metric's |Δ|/allowed under the default tolerance, and its raw change (esd_distance itself; relative change for scalars).</summary>
    private static (List<Dictionary<string, double>> Values, List<Dictionary<string, double>> Raw) Compare(SpectralSignature baseline, SpectralSignature actual, string? onlyLayer)
    {
        var values = new List<Dictionary<string, double>>();
        var raw = new List<Dictionary<string, double>>();
        foreach (var b in baseline.Layers.Where(l => onlyLayer is null || l.Name == onlyLayer))
        {
            var a = actual.Layer(b.Name)!;
            var v = new Dictionary<string, double>();
            var r = new Dictionary<string, double>();
            double d = EsdComparison.Distance(b, a) ?? double.NaN;
            v[MetricNames.EsdDistance] = d / ToleranceDefaults.For(MetricNames.EsdDistance).Allowed(0);
            r[MetricNames.EsdDistance] = d;
            foreach (string m in Scalars)
            {
                if (b[m] is not double e || a[m] is not double x) continue;
                double allowed = ToleranceDefaults.For(m).Allowed(e);
                v[m] = allowed > 0 ? Math.Abs(x - e) / allowed : (x == e ? 0 : double.PositiveInfinity);
                r[m] = e != 0 ? Math.Abs(x - e) / Math.Abs(e) : Math.Abs(x - e);
            }
            values.Add(v);
            raw.Add(r);
        }
        return (values, raw);
    }

    private static SpectralSignature Signature(List<(string Name, Tensor W)> weights)
    {
        string path = Path.Combine(Path.GetTempPath(), $"esd-separation-{Environment.ProcessId}.safetensors");
        SafetensorsWriter.Write(path, weights.Select(w =>
        {
            double[] data = w.W.contiguous().data<double>().ToArray();
            var bytes = new byte[data.Length * 8];
            Buffer.BlockCopy(data, 0, bytes, 0, bytes.Length);
            return new SafetensorsWriter.Tensor(w.Name, "F64", w.W.shape, bytes);
        }).ToList());
        try
        {
            using var source = ModelSources.Open(path);
            return SpectralEngine.Compute(source, new SignatureOptions { Farms = false });
        }
        finally { File.Delete(path); }
    }

    private static Tensor Noise(Tensor w, double relative, int seed) =>
        w + relative * w.std() * randn(w.shape, ScalarType.Float64, generator: new Generator((ulong)(1000 + seed)));

    /// <summary>Per output row (dim 0, the rest flattened): scale = absmax/127, round to the nearest int8, scale back.</summary>
    private static Tensor Int8RoundTrip(Tensor w)
    {
        var rows = w.reshape(w.shape[0], -1);
        var scale = rows.abs().amax([1], keepdim: true).clamp_min(1e-30) / 127;
        return (rows / scale).round().clamp(-127, 127).mul(scale).reshape(w.shape);
    }

    /// <summary>Zeroes the given fraction of the entries with the smallest magnitude.</summary>
    private static Tensor Prune(Tensor w, double fraction)
    {
        var flat = w.abs().flatten();
        double threshold = flat.sort().Values[(long)(fraction * flat.numel())].item<double>();
        return w.where(w.abs() >= threshold, 0.0);
    }

    private static Tensor Reinitialised(Tensor w)
    {
        var fresh = empty(w.shape, ScalarType.Float64);
        nn.init.kaiming_uniform_(fresh, a: Math.Sqrt(5));
        return fresh;
    }
}
