using System.Diagnostics;
using SpectralGate.Tests.Support;

namespace SpectralGate.Engine.Tests.Sources;

/// <summary>
/// The fuzz harness (tests/SpectralGate.Fuzz) stays runnable: it writes valid seeds for every target, and replaying the
/// seeds and the committed hostile corpus through each target finds no crash (what afl-fuzz would report as one).
/// </summary>
public class FuzzHarnessTests
{
    private static string Harness => Path.Combine(AppContext.BaseDirectory, "SpectralGate.Fuzz.dll");

    private static (int ExitCode, string Output) Run(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Harness);
        foreach (string a in args) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        Assert.That(process.WaitForExit(120_000), Is.True, "the harness did not finish in 120 s");
        return (process.ExitCode, output.Result + error.Result);
    }

    [TestCase("safetensors", "safetensors")]
    [TestCase("index", "index")]
    [TestCase("onnx", "onnx")]
    [TestCase("torchsharp", "torchsharp")]
    [TestCase("baseline", "baselines")]
    [TestCase("gguf", "gguf")]
    [TestCase("pytorch", "pytorch")]
    [TestCase("mlnet", "mlnet")]
    [TestCase("quantized", "quantized")]
    [TestCase("trajectory", "baselines")]
    public void SeedsAndTheHostileCorpusReplayWithoutACrash(string target, string corpus)
    {
        string seeds = TestPaths.NewScratchFolder();
        Assert.That(Run("seeds", seeds).ExitCode, Is.Zero);
        Assert.That(Directory.GetFiles(Path.Combine(seeds, target)), Is.Not.Empty);

        var (exitCode, output) = Run("replay", target, Path.Combine(seeds, target), Path.Combine(AppContext.BaseDirectory, "Fixtures", "hostile", corpus));

        Assert.That(exitCode, Is.Zero, output);
        Assert.That(output, Does.Contain(", 0 crashes"));
    }
}
