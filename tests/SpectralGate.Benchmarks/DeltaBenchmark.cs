using System.Diagnostics;
using SpectralGate.Engine.Deltas;
using SpectralGate.Engine.Sources.Safetensors;
using static TorchSharp.torch;

/// <summary>
/// Issue 18's figures: the delta of two TinyLlama-shaped checkpoints (d = 2048, kv = 256, ffn = 5632; <c>blocks</c>
/// blocks, a 2048-token vocabulary to keep the files small), the tuned one with a rank-16 update on every projection,
/// and the same update as a rank-16 PEFT adapter on all seven projections (factors only, no dense ΔW).
/// </summary>
internal static class DeltaBenchmark
{
    private const int Rank = 16;

    private static readonly string[] Projections =
        ["self_attn.q_proj", "self_attn.k_proj", "self_attn.v_proj", "self_attn.o_proj", "mlp.gate_proj", "mlp.up_proj", "mlp.down_proj"];

    public static void Run(string folder, int blocks)
    {
        string baseIndex = CheckpointBenchmark.EnsureGenerated(Path.Combine(folder, "base"), blocks, d: 2048, kv: 256, ffn: 5632, vocab: 2048);
        string tunedPath = Path.Combine(folder, "tuned.safetensors"), adapterFolder = Path.Combine(folder, "adapter");
        if (!File.Exists(tunedPath)) WriteTunedAndAdapter(baseIndex, tunedPath, adapterFolder);

        var clock = Stopwatch.StartNew();
        DeltaSignature dense;
        using (var b = new SafetensorsShardedSource(baseIndex))
        using (var t = new SafetensorsFileSource(tunedPath))
            dense = DeltaEngine.Compute(b, t);
        double denseSeconds = clock.Elapsed.TotalSeconds;
        long peak;
        using (var self = Process.GetCurrentProcess()) peak = self.PeakWorkingSet64;
        Console.WriteLine($"dense delta (float64): {dense.Layers.Count} layers, {dense.Count(DeltaStatus.Changed)} changed: {denseSeconds:F1} s, peak RSS {peak >> 20:N0} MiB");

        clock.Restart();
        DeltaSignature fromAdapter;
        using (var b = new SafetensorsShardedSource(baseIndex))
        using (var adapter = LoraAdapter.Open(adapterFolder))
            fromAdapter = DeltaEngine.Compute(b, adapter);
        Console.WriteLine($"adapter delta (rank {Rank}, {blocks * Projections.Length} modules): {clock.Elapsed.TotalSeconds:F1} s");

        double worst = 0;
        foreach (var layer in fromAdapter.Layers.Where(l => l.Status == DeltaStatus.Changed))
        {
            var d = dense.Layer(layer.Name)!;
            foreach (string m in new[] { DeltaMetricNames.RelativeChange, DeltaMetricNames.StableRank, DeltaMetricNames.SpectralNorm })
                if (layer[m] is double a && d[m] is double e) worst = Math.Max(worst, Math.Abs(a - e) / Math.Max(Math.Abs(e), 1e-300));
        }
        Console.WriteLine($"adapter against dense, worst relative difference of relative_change/stable_rank/spectral_norm: {worst:E2} (dense tuned is stored in float32)");
        Console.WriteLine("sketched delta: not available (DeltaOptions has no sketch; every ΔW spectrum is exact)");
    }

    // ΔW = s·B·A with s = alpha/r = 1, A and B Gaussian scaled so each update is about 1% of its weight.
    private static void WriteTunedAndAdapter(string baseIndex, string tunedPath, string adapterFolder)
    {
        Directory.CreateDirectory(adapterFolder);
        var generator = new Generator(18);
        var tuned = new List<SafetensorsWriter.Tensor>();
        var factors = new List<SafetensorsWriter.Tensor>();
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
                tuned.Add(SafetensorsWriter.Float32(entry.Name, entry.Shape, w.contiguous().data<float>().ToArray()));
            }
        SafetensorsWriter.Write(tunedPath, tuned);
        SafetensorsWriter.Write(Path.Combine(adapterFolder, LoraAdapter.WeightsFile), factors);
        File.WriteAllText(Path.Combine(adapterFolder, LoraAdapter.ConfigFile),
            $$"""{"peft_type": "LORA", "r": {{Rank}}, "lora_alpha": {{Rank}}, "use_rslora": false, "fan_in_fan_out": false, "target_modules": ["q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"]}""");
    }
}
