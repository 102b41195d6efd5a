using System.Diagnostics;
using SpectralGate.Engine.Metrics;
using SpectralGate.Engine.Signatures;
using SpectralGate.Engine.Sources;
using SpectralGate.Engine.Sources.Safetensors;
using SpectralGate.Engine.Spectra;
using TorchSharp;
using static TorchSharp.torch;

/// <summary>
/// Issue 7's figures in one run on a TinyLlama-shaped checkpoint (1.1B parameters, bf16, two shards and an index;
/// generated once, never committed): the exact signature (time, peak RSS), the sketched signature (time, error against
/// exact per metric), the floor (one Gram GEMM + one eigvalsh per matrix, float64, loads excluded) and the naive way
/// (full linalg.svdvals per matrix in float32, WeightWatcher's route, loads excluded).
/// </summary>
internal static class ScaleBenchmark
{
    private static readonly string[] ComparedMetrics =
    [
        MetricNames.Alpha, MetricNames.AlphaWeighted, MetricNames.StableRank, MetricNames.EffectiveRank, MetricNames.SpectralEntropy,
        MetricNames.NumericalRank, MetricNames.SpectralNorm, MetricNames.FrobeniusNorm, MetricNames.MpSoftRank, MetricNames.NumSpikes,
        MetricNames.AlphaFarms,
    ];

    public static void Run(string folder, bool naive)
    {
        string index = CheckpointBenchmark.EnsureGenerated(folder, blocks: 22, d: 2048, kv: 256, ffn: 5632, vocab: 32000);

        // The runtime alone (CLR + libtorch with its kernels loaded), so the peak below can be read against it.
        using (var warm = linalg.eigvalsh(eye(64, dtype: ScalarType.Float64))) { }
        long runtime;
        using (var self = Process.GetCurrentProcess()) runtime = self.WorkingSet64;
        long largest;
        using (var source = new SafetensorsShardedSource(index)) largest = source.Tensors.Max(t => t.ElementCount) * sizeof(double);
        Console.WriteLine($"runtime alone: {runtime >> 20:N0} MiB; largest tensor in float64: {largest >> 20:N0} MiB; 3x that plus the runtime: {(3 * largest + runtime) >> 20:N0} MiB");

        var clock = Stopwatch.StartNew();
        SpectralSignature exact;
        using (var source = new SafetensorsShardedSource(index)) exact = SpectralEngine.Compute(source, new SignatureOptions());
        double exactSeconds = clock.Elapsed.TotalSeconds;
        long exactPeak;
        using (var self = Process.GetCurrentProcess()) exactPeak = self.PeakWorkingSet64;
        Console.WriteLine($"exact    (float64): {exact.Layers.Count} layers, {exact.Model.ParameterCount:N0} parameters: {exactSeconds:F1} s, peak RSS {exactPeak >> 20:N0} MiB");

        clock.Restart();
        SpectralSignature exact32;
        using (var source = new SafetensorsShardedSource(index)) exact32 = SpectralEngine.Compute(source, new SignatureOptions { Precision = SpectrumPrecision.Float32 });
        double exact32Seconds = clock.Elapsed.TotalSeconds;
        Console.WriteLine($"exact    (float32): {exact32Seconds:F1} s; its error against float64:");
        ReportErrors(exact, exact32);

        clock.Restart();
        SpectralSignature sketched;
        using (var source = new SafetensorsShardedSource(index))
            sketched = SpectralEngine.Compute(source, new SignatureOptions { Precision = SpectrumPrecision.Float32, Sketch = new SketchOptions() });
        double sketchSeconds = clock.Elapsed.TotalSeconds;
        Console.WriteLine($"sketched (float32, {new SketchOptions().Describe()}): {sketchSeconds:F1} s, {exactSeconds / sketchSeconds:F1}x faster than exact");
        ReportErrors(exact, sketched);

        double floor = 0, load = 0, svd = 0;
        var byShape = new SortedDictionary<string, (int Count, double Floor, double Svd)>(StringComparer.Ordinal);
        using (var source = new SafetensorsShardedSource(index))
        {
            foreach (TensorEntry entry in source.Tensors.Where(e => e.Shape.Length == 2))
            {
                clock.Restart();
                using var w64 = entry.Load(CPU, ScalarType.Float64);
                load += clock.Elapsed.TotalSeconds;
                clock.Restart();
                using (var gram = w64.shape[0] >= w64.shape[1] ? w64.t().matmul(w64) : w64.matmul(w64.t()))
                using (linalg.eigvalsh(gram)) { }
                double floorOne = clock.Elapsed.TotalSeconds;
                floor += floorOne;
                string shape = $"{entry.Shape[0]}x{entry.Shape[1]}";
                var row = byShape.GetValueOrDefault(shape);
                byShape[shape] = (row.Count + 1, row.Floor + floorOne, row.Svd);
                if (!naive) continue;
                using var w32 = w64.to(ScalarType.Float32);
                clock.Restart();
                using (linalg.svdvals(w32)) { }
                double svdOne = clock.Elapsed.TotalSeconds;
                svd += svdOne;
                row = byShape[shape];
                byShape[shape] = (row.Count, row.Floor, row.Svd + svdOne);
            }
        }
        Console.WriteLine($"floor    (Gram GEMM + eigvalsh per matrix, float64, loads excluded): {floor:F1} s; engine/floor = {exactSeconds / floor:F2}x");
        Console.WriteLine($"loading  (bf16 -> float64, all matrices): {load:F1} s ({load / exactSeconds * 100:F0}% of the exact run)");
        if (!naive) return;
        Console.WriteLine($"naive    (linalg.svdvals per matrix, float32, loads excluded): {svd:F1} s; naive/exact64 = {svd / exactSeconds:F1}x, naive/exact32 = {svd / exact32Seconds:F1}x, naive/sketched = {svd / sketchSeconds:F1}x");
        Console.WriteLine("  shape        count   floor f64 (s)   svdvals f32 (s)   svdvals/floor");
        foreach (var (shape, row) in byShape)
            Console.WriteLine($"  {shape,-12} {row.Count,5} {row.Floor,14:F2} {row.Svd,17:F2} {row.Svd / row.Floor,14:F1}x");
    }

    /// <summary>Relative error of each metric of the sketch against exact, over the layers both define: median and worst.</summary>
    internal static void ReportErrors(SpectralSignature exact, SpectralSignature sketched)
    {
        Console.WriteLine("  metric              median rel. error   max rel. error   (layers)");
        foreach (string metric in ComparedMetrics)
        {
            var errors = new List<double>();
            foreach (var layer in exact.Layers)
            {
                double? e = layer[metric], s = sketched.Layer(layer.Name)?[metric];
                if (e is double ev && s is double sv && ev != 0) errors.Add(Math.Abs(sv - ev) / Math.Abs(ev));
            }
            if (errors.Count == 0) continue;
            errors.Sort();
            Console.WriteLine($"  {metric,-20} {errors[errors.Count / 2] * 100,14:F3}% {errors[^1] * 100,15:F3}%   ({errors.Count})");
        }
        var worst = exact.Layers.Where(l => l[MetricNames.Alpha] is not null && sketched.Layer(l.Name)?[MetricNames.Alpha] is not null)
            .OrderByDescending(l => Math.Abs(sketched.Layer(l.Name)![MetricNames.Alpha]!.Value - l[MetricNames.Alpha]!.Value) / l[MetricNames.Alpha]!.Value).Take(3);
        foreach (var l in worst)
            Console.WriteLine($"  worst alpha: {l.Name}: {l[MetricNames.Alpha]:F3} (tail {l[MetricNames.NumTail]}) -> {sketched.Layer(l.Name)![MetricNames.Alpha]:F3} (tail {sketched.Layer(l.Name)![MetricNames.NumTail]})");
        int sameLabels = exact.Layers.Count(l => sketched.Layer(l.Name)?.Labels.SequenceEqual(l.Labels) == true);
        Console.WriteLine($"  labels identical on {sameLabels} of {exact.Layers.Count} layers");
        var gained = new SortedDictionary<string, int>(StringComparer.Ordinal);
        var lost = new SortedDictionary<string, int>(StringComparer.Ordinal);
        foreach (var layer in exact.Layers)
        {
            var other = sketched.Layer(layer.Name)?.Labels ?? [];
            foreach (string label in other.Except(layer.Labels)) gained[label] = gained.GetValueOrDefault(label) + 1;
            foreach (string label in layer.Labels.Except(other)) lost[label] = lost.GetValueOrDefault(label) + 1;
        }
        if (gained.Count + lost.Count > 0)
            Console.WriteLine($"  labels gained: {string.Join(", ", gained.Select(p => $"{p.Key} {p.Value}"))}; lost: {string.Join(", ", lost.Select(p => $"{p.Key} {p.Value}"))}");
    }
}
