using SpectralGate.Engine.Metrics;
using SpectralGate.Engine.Signatures;
using SpectralGate.Engine.Sources.Safetensors;
using SpectralGate.Engine.Spectra;
using TorchSharp;
using static TorchSharp.torch;

/// <summary>
/// The measurements behind the small-layer health rules and the table in docs/metrics.md: alpha, its tail and KS distance,
/// spikes and mp_softrank of trained, Kaiming re-initialised and noise layers of sizes 64 to 4096.
///   dotnet run -c Release --project tests/SpectralGate.Benchmarks -- health [--large]
/// </summary>
internal static class HealthCalibration
{
    private static readonly (int Rows, int Cols)[] Shapes = [(64, 64), (256, 64), (256, 256), (1024, 256), (1024, 1024), (4096, 1024)];

    public static void Run(bool large)
    {
        torch.set_num_threads(1);
        torch.manual_seed(11);
        var generator = new Generator(11);
        Console.WriteLine("kind        shape        alpha  num_tail  ks_distance  num_spikes  mp_softrank  stable_rank  labels");
        var shapes = large ? [.. Shapes, (4096, 4096)] : Shapes;
        foreach (var (rows, cols) in shapes)
        {
            using (var w = randn(rows, cols, generator: generator) / Math.Sqrt(cols)) Print("gaussian", w);
            using (var w = rand(rows, cols, generator: generator) - 0.5) Print("uniform", w);
            using (var w = empty(rows, cols))
            {
                nn.init.kaiming_uniform_(w, a: Math.Sqrt(5)); // nn.Linear's own initialisation: a re-initialised layer
                Print("kaiming-u", w);
            }
            using (var w = empty(rows, cols))
            {
                nn.init.kaiming_normal_(w);
                Print("kaiming-n", w);
            }
        }
        foreach (int width in large ? new[] { 64, 256, 1024 } : [64, 256])
            foreach (var (name, weight) in TrainMlp(width, generator))
                Print("trained", weight, $" {name}");
        string sample = Path.Combine(AppContext.BaseDirectory, "../../../../../samples/models/bars-cnn.safetensors");
        if (File.Exists(sample))
        {
            using var source = new SafetensorsFileSource(sample);
            foreach (var layer in SpectralEngine.Compute(source, new SignatureOptions()).Layers)
                Console.WriteLine(Row("bars-cnn", layer.Shape, name => layer[name], layer.Labels) + $" {layer.Name}");
        }
    }

    private static void Print(string kind, Tensor w, string suffix = "")
    {
        using var w64 = w.to(ScalarType.Float64);
        int rows = (int)w.shape[0], cols = (int)w.shape[1];
        var result = SpectrumMetrics.Compute(GramSpectrum.Eigenvalues(w64.unsqueeze(0)), Math.Max(rows, cols), Math.Min(rows, cols));
        Console.WriteLine(Row(kind, w.shape, name => result.Values[name], result.Labels) + suffix);
    }

    private static string Row(string kind, long[] shape, Func<string, double?> metric, IReadOnlyList<string> labels)
    {
        static string F(double? v, string format) => v is double d ? d.ToString(format) : "-";
        return $"{kind,-10}  {string.Join("x", shape),-11} {F(metric(MetricNames.Alpha), "F2"),6} {F(metric(MetricNames.NumTail), "F0"),9} "
            + $"{F(metric(MetricNames.KsDistance), "F3"),12} {F(metric(MetricNames.NumSpikes), "F0"),11} {F(metric(MetricNames.MpSoftRank), "F3"),12} "
            + $"{F(metric(MetricNames.StableRank), "F1"),12}  {string.Join(",", labels)}";
    }

    /// <summary>
    /// A width-w MLP (64 -> w -> w -> 10) trained with Adam on a teacher task (a random low-rank two-layer net's argmax),
    /// long enough to fit it: the small trained layers a unit test meets.
    /// </summary>
    internal static IEnumerable<(string Name, Tensor Weight)> TrainMlp(int width, Generator generator)
    {
        var model = nn.Sequential(("fc1", nn.Linear(64, width)), ("act1", nn.ReLU()), ("fc2", nn.Linear(width, width)), ("act2", nn.ReLU()),
            ("head", nn.Linear(width, 10)));
        var teacher1 = randn(64, 16, generator: generator).matmul(randn(16, 128, generator: generator)) / 8;
        var teacher2 = randn(128, 10, generator: generator);
        var x = randn(8192, 64, generator: generator);
        var y = nn.functional.relu(x.matmul(teacher1)).matmul(teacher2).argmax(1);
        var optimizer = optim.Adam(model.parameters(), lr: 1e-3);
        for (int step = 0; step < 3000; step++)
        {
            using var scope = NewDisposeScope();
            long start = step * 128 % 8192;
            var batch = TensorIndex.Slice(start, start + 128);
            optimizer.zero_grad();
            var loss = nn.functional.cross_entropy(model.forward(x[batch]), y[batch]);
            loss.backward();
            optimizer.step();
        }
        using (no_grad())
        {
            var accuracy = model.forward(x).argmax(1).eq(y).to(ScalarType.Float32).mean().item<float>();
            Console.WriteLine($"trained MLP width {width}: train accuracy {accuracy:F3}");
        }
        foreach (var (name, p) in model.named_parameters())
            if (p.dim() == 2) yield return ($"w{width}.{name}", p.detach());
    }
}
