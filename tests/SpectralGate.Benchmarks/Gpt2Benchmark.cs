using System.Diagnostics;
using SpectralGate.Engine.Metrics;
using SpectralGate.Engine.Signatures;
using SpectralGate.Engine.Sources.Safetensors;
using SpectralGate.Engine.Spectra;
using static TorchSharp.torch;

/// <summary>
/// A GPT-2-small-shaped checkpoint (issue 15): 12 blocks of c_attn 768×2304, attn c_proj 768×768, c_fc 768×3072 and
/// mlp c_proj 3072×768, wte 50257×768, wpe 1024×768 (124M parameters, float32, generated once, never committed), each
/// a Marchenko–Pastur bulk with five large rank-one spikes. Prints the default signature's time against per-matrix full
/// <c>svdvals</c> (WeightWatcher's route) in the same run, and the time of each matrix.
/// </summary>
internal static class Gpt2Benchmark
{
    public static void Run(string folder, bool perShapeOnly)
    {
        string file = Path.Combine(folder, "gpt2-small-shaped.safetensors");
        if (!File.Exists(file)) Generate(folder, file);
        if (perShapeOnly)
        {
            PerShape(file);
            return;
        }

        var clock = Stopwatch.StartNew();
        SpectralSignature signature;
        using (var source = new SafetensorsFileSource(file)) signature = SpectralEngine.Compute(source, new SignatureOptions());
        double ours = clock.Elapsed.TotalSeconds;
        clock.Restart();
        using (var source = new SafetensorsFileSource(file)) SpectralEngine.Compute(source, new SignatureOptions { Precision = SpectrumPrecision.Float32 });
        double ours32 = clock.Elapsed.TotalSeconds;
        clock.Restart();
        using (var source = new SafetensorsFileSource(file)) SpectralEngine.Compute(source, new SignatureOptions { Precision = SpectrumPrecision.Float32, Sketch = new SketchOptions() });
        double oursSketched = clock.Elapsed.TotalSeconds;

        double svd = 0;
        using (var source = new SafetensorsFileSource(file))
            foreach (var entry in source.Tensors)
            {
                using var w = entry.Load(CPU, ScalarType.Float32);
                clock.Restart();
                using var s = linalg.svdvals(w);
                svd += clock.Elapsed.TotalSeconds;
            }
        Console.WriteLine($"{signature.Layers.Count} layers: signature {ours:F1} s, per-matrix svdvals {svd:F1} s, ratio {ours / svd:F2}");
        Console.WriteLine($"  --dtype float32: {ours32:F1} s, ratio {ours32 / svd:F2}; --sketch --dtype float32: {oursSketched:F1} s, ratio {oursSketched / svd:F2}");
        PerShape(file);
    }

    /// <summary>One matrix of each shape, phase by phase (wall and this process's CPU): the spectrum, every default metric, and FARMS (opt-in).</summary>
    private static void PerShape(string file)
    {
        using var source = new SafetensorsFileSource(file);
        var options = new SignatureOptions();
        foreach (string name in new[] { "h.0.attn.c_attn.weight", "h.0.attn.c_proj.weight", "h.0.mlp.c_fc.weight", "h.0.mlp.c_proj.weight", "wpe.weight", "wte.weight" })
        {
            using var scope = NewDisposeScope();
            var w = source.Tensors.Single(t => t.Name == name).Load(CPU, ScalarType.Float64);
            double[] ev = [];
            var phases = new (string Phase, Action Run)[]
            {
                ("gram+eigvalsh", () => ev = GramSpectrum.Eigenvalues(w.unsqueeze(0))),
                ("metrics", () => SpectrumMetrics.Compute(ev, (int)w.shape[0], (int)w.shape[1], options.Metrics)),
                ("farms (--farms)", () => PowerLawFit.Fit(FarmsSpectrum.Eigenvalues(w, options.FarmsWindows), options.Metrics.PowerLaw)),
                ("svdvals f32", () => linalg.svdvals(w.to(ScalarType.Float32)).Dispose()),
            };
            var cells = phases.Select(p =>
            {
                var cpu = Process.GetCurrentProcess().TotalProcessorTime;
                var clock = Stopwatch.StartNew();
                p.Run();
                return $"{p.Phase} {clock.Elapsed.TotalSeconds:F3} s ({(Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds:F3} s CPU)";
            });
            Console.WriteLine($"  {name} [{w.shape[0]}x{w.shape[1]}]: {string.Join(", ", cells.ToArray())}");
        }
    }

    private static void Generate(string folder, string file)
    {
        Directory.CreateDirectory(folder);
        var generator = new Generator(5);
        SafetensorsWriter.Tensor Weight(string name, int rows, int cols)
        {
            using var scope = NewDisposeScope();
            var w = randn(rows, cols, generator: generator) / Math.Sqrt(cols);
            // Five spikes of 3 to 15 times the bulk edge's singular value, as in trained attention and MLP layers.
            double edge = 1 + Math.Sqrt((double)rows / cols); // σ_max of the bulk, entries of variance 1/cols
            for (int k = 0; k < 5; k++)
            {
                var u = randn(rows, 1, generator: generator); u /= u.norm();
                var v = randn(1, cols, generator: generator); v /= v.norm();
                w += (3 + 3 * k) * edge * u.matmul(v);
            }
            return SafetensorsWriter.Float32(name, [rows, cols], w.data<float>().ToArray());
        }
        var tensors = new List<SafetensorsWriter.Tensor> { Weight("wte.weight", 50257, 768), Weight("wpe.weight", 1024, 768) };
        for (int b = 0; b < 12; b++)
        {
            tensors.Add(Weight($"h.{b}.attn.c_attn.weight", 768, 2304));
            tensors.Add(Weight($"h.{b}.attn.c_proj.weight", 768, 768));
            tensors.Add(Weight($"h.{b}.mlp.c_fc.weight", 768, 3072));
            tensors.Add(Weight($"h.{b}.mlp.c_proj.weight", 3072, 768));
        }
        SafetensorsWriter.Write(file, tensors);
    }
}
