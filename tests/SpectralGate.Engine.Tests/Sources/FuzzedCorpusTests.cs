using SpectralGate.Engine.Errors;
using SpectralGate.Engine.Signatures;
using SpectralGate.Engine.Sources;
using SpectralGate.Engine.Spectra;

namespace SpectralGate.Engine.Tests.Sources;

/// <summary>
/// Inputs on which fuzzing (tests/SpectralGate.Fuzz, docs/fuzzing.md) once crashed the engine or a reader: weights that
/// are finite but span 1e-42 to 1e37, whose float32 Gram overflowed or on which LAPACK's eigvalsh did not converge, and a
/// TorchSharp tensor of shape [0, huge, huge] whose strides overflowed in libtorch. Each now gives a finite signature or
/// the documented refusal, in both precisions.
/// </summary>
public class FuzzedCorpusTests
{
    public static IEnumerable<string> Files() =>
        Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "Fixtures", "fuzzed"), "*", SearchOption.AllDirectories)
            .Order(StringComparer.Ordinal).Select(f => Path.GetRelativePath(AppContext.BaseDirectory, f));

    [TestCaseSource(nameof(Files))]
    public void FormerCrashesGiveASignature(string file)
    {
        string path = Path.Combine(AppContext.BaseDirectory, file);
        foreach (var precision in new[] { SpectrumPrecision.Float32, SpectrumPrecision.Float64 })
        {
            SpectralSignature signature;
            try
            {
                using var source = ModelSources.Open(path);
                signature = SpectralEngine.Compute(source, new SignatureOptions { Precision = precision });
            }
            catch (SpectralGateException e)
            {
                Assert.That(e.Message, Does.StartWith(path));
                continue;
            }
            Assert.That(signature.Layers, Is.Not.Empty);
            foreach (var layer in signature.Layers)
                foreach (var (metric, value) in layer.Metrics)
                    Assert.That(value is null || !double.IsNaN(value.Value), $"{layer.Name} {metric} is NaN");
        }
    }
}
