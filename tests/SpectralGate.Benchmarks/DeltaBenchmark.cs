using System.Diagnostics;
using System.Globalization;
using SpectralGate.Engine.Deltas;
using SpectralGate.Engine.Signatures;
using SpectralGate.Engine.Sources.Safetensors;
using SpectralGate.Engine.Spectra;
using static TorchSharp.torch;

/// <summary>
/// Issue 18's figures: the delta of two TinyLlama-shaped checkpoints (d = 2048, kv = 256, ffn = 5632; <c>blocks</c>
/// blocks, a 2048-token vocabulary to keep the files small), the tuned one with a rank-16 update on every projection,
/// and the same update as a rank-16 PEFT adapter on all seven projections (factors only, no dense ΔW); each exact and
/// sketched (default <see cref="SketchOptions"/>), with its wall time and its own peak RSS (VmHWM reset before each).
/// </summary>
internal static class DeltaBenchmark
{
    private const int Rank = 16;

    private static readonly string[] Projections =
        ["self_attn.q_proj", "self_attn.k_proj", "self_attn.v_proj", "self_attn.o_proj", "mlp.gate_proj", "mlp.up_proj", "mlp.down_proj"];

    public static void Run(string folder, int blocks)
    {
        string baseIndex = CheckpointBenchmark.EnsureGenerated(Path.Combine(folder, "base"), blocks, d: 2048, kv: 256, ffn: 5632, vocab: 2048);
        string tunedPath = Path.Combine(folder, "tuned", "model.safetensors.index.json"), adapterFolder = Path.Combine(folder, "adapter");
        if (!File.Exists(tunedPath)) GenerateInChildProcess(baseIndex, tunedPath, adapterFolder);
        Console.WriteLine($"{blocks} blocks, {Environment.ProcessorCount} cores, torch threads {get_num_threads()}, load average {File.ReadAllText("/proc/loadavg").Split(' ')[0]}");

        var sketch = new DeltaOptions { Sketch = new SketchOptions() };
        var denseSketched = Phase("dense delta, sketched", () => Dense(baseIndex, tunedPath, sketch));
        var adapterSketched = Phase($"adapter delta (rank {Rank}, {blocks * Projections.Length} modules), sketched", () => FromAdapter(baseIndex, adapterFolder, sketch));
        Compare("sketched", denseSketched, adapterSketched);
        var adapterExact = Phase($"adapter delta (rank {Rank}, {blocks * Projections.Length} modules), exact", () => FromAdapter(baseIndex, adapterFolder, new DeltaOptions()));
        var denseExact = Phase("dense delta, exact (float64)", () => Dense(baseIndex, tunedPath, new DeltaOptions()));
        Compare("exact", denseExact, adapterExact);
        Compare("sketched against exact, dense", denseExact, denseSketched);
    }

    private static DeltaSignature Dense(string baseIndex, string tunedPath, DeltaOptions options)
    {
        using var b = new SafetensorsShardedSource(baseIndex);
        using var t = new SafetensorsShardedSource(tunedPath);
        return DeltaEngine.Compute(b, t, options, new Progress());
    }

    private static DeltaSignature FromAdapter(string baseIndex, string adapterFolder, DeltaOptions options)
    {
        using var b = new SafetensorsShardedSource(baseIndex);
        using var adapter = LoraAdapter.Open(adapterFolder);
        return DeltaEngine.Compute(b, adapter, options, new Progress());
    }

    private static DeltaSignature Phase(string name, Func<DeltaSignature> compute)
    {
        // Linux: writing 5 to clear_refs resets VmHWM, so each phase reports its own peak.
        File.WriteAllText("/proc/self/clear_refs", "5");
        var clock = Stopwatch.StartNew();
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        DeltaSignature delta = compute();
        double seconds = clock.Elapsed.TotalSeconds, cpuSeconds = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds;
        string hwm = File.ReadLines("/proc/self/status").First(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
        long peakMiB = long.Parse(hwm.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) >> 10;
        Console.WriteLine($"{name}: {delta.Layers.Count} layers, {delta.Count(DeltaStatus.Changed)} changed: {seconds:F1} s wall, {cpuSeconds:F1} s CPU, "
            + $"peak RSS {peakMiB:N0} MiB, load average {File.ReadAllText("/proc/loadavg").Split(' ')[0]}");
        return delta;
    }

    private static void Compare(string what, DeltaSignature reference, DeltaSignature other)
    {
        foreach (string m in new[] { DeltaMetricNames.RelativeChange, DeltaMetricNames.StableRank, DeltaMetricNames.SpectralNorm, DeltaMetricNames.SubspaceOverlap, DeltaMetricNames.AlphaTuned })
        {
            double worst = 0;
            foreach (var layer in other.Layers.Where(l => l.Status == DeltaStatus.Changed))
                if (layer[m] is double a && reference.Layer(layer.Name)?[m] is double e) worst = Math.Max(worst, Math.Abs(a - e) / Math.Max(Math.Abs(e), 1e-300));
            Console.WriteLine($"  {what}: worst relative difference of {m}: {worst:E2}");
        }
    }

    private sealed class Progress : IProgress<SignatureProgress>
    {
        private readonly Stopwatch _clock = Stopwatch.StartNew();

        public void Report(SignatureProgress value)
        {
            if (value.TensorsDone % 25 == 0) Console.WriteLine($"    {value.TensorsDone} tensors, {_clock.Elapsed.TotalSeconds:F0} s ({value.LastTensor})");
        }
    }

    // The generator holds the tuned model in managed memory; in this process it would swell the RSS measured.
    private static void GenerateInChildProcess(string baseIndex, string tunedPath, string adapterFolder)
    {
        string self = Environment.ProcessPath!;
        var start = new ProcessStartInfo(self);
        if (Path.GetFileNameWithoutExtension(self) == "dotnet") start.ArgumentList.Add(typeof(DeltaBenchmark).Assembly.Location);
        foreach (string arg in new[] { "generate-delta", baseIndex, tunedPath, adapterFolder }) start.ArgumentList.Add(arg);
        Console.WriteLine($"generating {tunedPath} and {adapterFolder} (once)");
        using var child = Process.Start(start)!;
        child.WaitForExit();
        if (child.ExitCode != 0) throw new InvalidOperationException($"delta generation failed with exit code {child.ExitCode}");
    }

    // ΔW = s·B·A with s = alpha/r = 1, A and B Gaussian scaled so each update is about 1% of its weight. The tuned model
    // is written in float32 shards of at most 1 GiB (the writer builds a shard in one MemoryStream, at most 2 GiB).
    public static void WriteTunedAndAdapter(string baseIndex, string tunedIndex, string adapterFolder)
    {
        const long ShardBytes = 1L << 30;
        Directory.CreateDirectory(adapterFolder);
        Directory.CreateDirectory(Path.GetDirectoryName(tunedIndex)!);
        var generator = new Generator(18);
        var shard = new List<SafetensorsWriter.Tensor>();
        long shardBytes = 0;
        var weightMap = new SortedDictionary<string, string>(StringComparer.Ordinal);
        var factors = new List<SafetensorsWriter.Tensor>();
        void Flush()
        {
            if (shard.Count == 0) return;
            string file = $"tuned-{weightMap.Values.Distinct().Count() + 1:D5}.safetensors";
            foreach (var t in shard) weightMap[t.Name] = file;
            SafetensorsWriter.Write(Path.Combine(Path.GetDirectoryName(tunedIndex)!, file), shard);
            shard.Clear();
            shardBytes = 0;
        }
        using (var source = new SafetensorsShardedSource(baseIndex))
            foreach (var entry in source.Tensors)
            {
                using var scope = NewDisposeScope();
                var w = entry.Load(CPU, ScalarType.Float32);
                string stem = entry.Name.EndsWith(".weight", StringComparison.Ordinal) ? entry.Name[..^".weight".Length] : entry.Name;
                if (w.dim() == 2 && Projections.Any(p => stem.EndsWith(p, StringComparison.Ordinal)))
                {
                    long rows = w.shape[0], cols = w.shape[1];
                    var a = randn(Rank, cols, generator: generator) / Math.Sqrt(cols);
                    var b = randn(rows, Rank, generator: generator) * (0.01 * w.norm().item<float>() / Math.Sqrt(Rank * rows));
                    w = w + b.matmul(a);
                    factors.Add(SafetensorsWriter.Float32($"base_model.model.{stem}.lora_A.weight", [Rank, cols], a.contiguous().data<float>().ToArray()));
                    factors.Add(SafetensorsWriter.Float32($"base_model.model.{stem}.lora_B.weight", [rows, Rank], b.contiguous().data<float>().ToArray()));
                }
                if (shardBytes + 4 * entry.ElementCount > ShardBytes) Flush();
                shard.Add(SafetensorsWriter.Float32(entry.Name, entry.Shape, w.contiguous().data<float>().ToArray()));
                shardBytes += 4 * entry.ElementCount;
            }
        Flush();
        File.WriteAllText(tunedIndex, System.Text.Json.JsonSerializer.Serialize(new { metadata = new Dictionary<string, string>(), weight_map = weightMap }));
        SafetensorsWriter.Write(Path.Combine(adapterFolder, LoraAdapter.WeightsFile), factors);
        File.WriteAllText(Path.Combine(adapterFolder, LoraAdapter.ConfigFile),
            $$"""{"peft_type": "LORA", "r": {{Rank}}, "lora_alpha": {{Rank}}, "use_rslora": false, "fan_in_fan_out": false, "target_modules": ["q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"]}""");
    }
}
