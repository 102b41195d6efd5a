using System.Diagnostics;
using SpectralGate.Engine.Baselines;
using SpectralGate.Engine.Errors;
using SpectralGate.Engine.Sources;
using SpectralGate.Tests.Support;
using TorchSharp;

namespace SpectralGate.Engine.Tests.Sources;

/// <summary>
/// The committed corpus of hostile inputs (Fixtures/hostile, made by make_corpus.py and make_corpus_gguf_pytorch.py):
/// every file is refused with the documented exception naming it, in well under a second, allocating little whatever sizes it claims.
/// </summary>
public class HostileCorpusTests
{
    private static string Corpus => Path.Combine(AppContext.BaseDirectory, "Fixtures", "hostile");

    public static IEnumerable<string> Models() =>
        new[] { "safetensors", "index", "torchsharp", "onnx", "gguf", "pytorch", "mlnet" }
            .SelectMany(d => Directory.GetFiles(Path.Combine(Corpus, d)).Order(StringComparer.Ordinal))
            .Where(f => !f.EndsWith(".bin", StringComparison.Ordinal)) // external data that onnx/ cases point at
            .Select(full => Path.GetRelativePath(Corpus, full));

    public static IEnumerable<string> Baselines() =>
        Directory.GetFiles(Path.Combine(Corpus, "baselines")).Order(StringComparer.Ordinal).Select(f => Path.GetRelativePath(Corpus, f));

    private static void FastAndSmall(Action act, string what)
    {
        long before = GC.GetAllocatedBytesForCurrentThread();
        var clock = Stopwatch.StartNew();
        act();
        Assert.That(clock.Elapsed, Is.LessThan(TimeSpan.FromSeconds(1)), what);
        Assert.That(GC.GetAllocatedBytesForCurrentThread() - before, Is.LessThan(8 << 20), what);
    }

    [TestCaseSource(nameof(Models))]
    public void HostileModelsAreRefused(string file)
    {
        string path = Path.Combine(Corpus, file);
        ModelFormatException? error = null;
        FastAndSmall(() =>
        {
            try
            {
                using var source = ModelSources.Open(path);
                foreach (var entry in source.Tensors)
                    if (entry.DType != TensorDType.Unsupported) using (entry.Load(torch.CPU, torch.ScalarType.Float32)) { }
            }
            catch (ModelFormatException e) { error = e; }
        }, file);

        Assert.That(error, Is.Not.Null, $"{file} was accepted");
        Assert.That(error!.Message, Does.Contain(Path.GetFileName(file)).Or.Contain("absent-00001"));
    }

    [TestCaseSource(nameof(Baselines))]
    public void HostileBaselinesAreRefused(string file)
    {
        string path = Path.Combine(Corpus, file);
        BaselineFormatException? error = null;
        FastAndSmall(() =>
        {
            try { BaselineFile.Read(path); }
            catch (BaselineFormatException e) { error = e; }
        }, file);

        Assert.That(error, Is.Not.Null, $"{file} was accepted");
        Assert.That(error!.Message, Does.StartWith(path));
    }
}
