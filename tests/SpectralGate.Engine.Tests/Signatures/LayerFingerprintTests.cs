using System.IO.Hashing;
using SpectralGate.Engine.Baselines;
using SpectralGate.Engine.Errors;
using SpectralGate.Engine.Signatures;
using SpectralGate.Engine.Sources;
using SpectralGate.Engine.Sources.Onnx;
using SpectralGate.Engine.Sources.Onnx.Proto;
using SpectralGate.Engine.Sources.Safetensors;
using SpectralGate.Engine.Tests.Sources.Onnx;
using SpectralGate.Tests.Support;
using static TorchSharp.torch;

namespace SpectralGate.Engine.Tests.Signatures;

/// <summary>
/// Layer fingerprints: XxHash128 of the decoded values as little-endian float32, and what a comparison makes of them
/// ("unchanged", "changed, spectrally equivalent", "changed").
/// </summary>
public class LayerFingerprintTests
{
    private const int Rows = 48, Cols = 32;

    /// <summary>Multiples of 1/16 in [-4, 4]: exact in bf16, f32 and f64, so every storage dtype holds the same values.</summary>
    private static float[] Values(int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, Rows * Cols).Select(_ => random.Next(-64, 65) / 16f).ToArray();
    }

    private static float[] RowsReversed(float[] values) =>
        Enumerable.Range(0, Rows).Reverse().SelectMany(r => values.Skip(r * Cols).Take(Cols)).ToArray();

    private static SpectralSignature Signature(string path, SignatureOptions? options = null)
    {
        using ITensorSource source = ModelSources.Open(path);
        return SpectralEngine.Compute(source, options);
    }

    private static SpectralSignature Safetensors(float[] values, long[]? shape = null) =>
        Signature(SafetensorsFixtures.Write(SafetensorsWriter.Float32("w.weight", shape ?? [Rows, Cols], values)));

    private static LayerChange ChangeOf(SpectralSignature baseline, SpectralSignature actual) =>
        SignatureComparer.Compare(baseline, actual).Changes["w.weight"];

    [Test]
    public void TheFingerprintIsXxHash128OfTheRowMajorLittleEndianFloat32Values()
    {
        float[] values = Values(seed: 1);
        byte[] bytes = values.SelectMany(BitConverter.GetBytes).ToArray();

        string fingerprint = Safetensors(values).Layers.Single().Fingerprint!;

        Assert.That(fingerprint, Is.EqualTo(Convert.ToHexStringLower(XxHash128.Hash(bytes))));
    }

    // Over a million values, so several chunks and a short last one; in float64, values float32 must round (ties,
    // subnormals, beyond its range), so the managed narrowing must round as libtorch's cast does.
    [TestCase(ScalarType.Float32)]
    [TestCase(ScalarType.Float64)]
    public void ALargeTensorHashesAsItsFloat32CastInOnePiece(ScalarType dtype)
    {
        using var random = randn(1_100_003, dtype: ScalarType.Float64, generator: new TorchSharp.torch.Generator(7));
        using var special = tensor(new[] { 1 + Math.Pow(2, -24), 1 + 3 * Math.Pow(2, -24), 1e-40, -3e-45, 1e39, double.NaN, -0.0 });
        using var values = cat([random, special]).to(dtype);
        using var cast = values.to(ScalarType.Float32).contiguous();

        Assert.That(LayerFingerprint.Of(values.reshape(1, -1)), Is.EqualTo(Convert.ToHexStringLower(XxHash128.Hash(cast.bytes))));
    }

    [Test]
    public void TheSameValuesStoredAsBFloat16Float32Float64OrInOnnxHaveOneFingerprint()
    {
        float[] values = Values(seed: 2);
        string f32 = SafetensorsFixtures.Write(SafetensorsWriter.Float32("w.weight", [Rows, Cols], values));
        string bf16 = SafetensorsFixtures.Write(SafetensorsWriter.BFloat16("w.weight", [Rows, Cols], values));
        using var asTensor = tensor(values, [Rows, Cols]);
        string f64 = SafetensorsFixtures.Write(DeltaFixtures.Float64("w.weight", asTensor));
        var graph = new GraphProto { Name = "g" };
        graph.Initializer.Add(OnnxFixtures.Float("w.weight", [Rows, Cols], values));
        string onnx = OnnxFixtures.Write(graph);

        string[] fingerprints = [.. new[] { f32, bf16, f64, onnx }.Select(p => Signature(p).Layers.Single().Fingerprint!)];

        Assert.That(fingerprints.Distinct(), Has.Exactly(1).Items, string.Join(", ", fingerprints));
    }

    [Test]
    public void TheFingerprintDoesNotDependOnTheSpectrumPrecision()
    {
        string model = SafetensorsFixtures.Write(SafetensorsWriter.Float32("w.weight", [Rows, Cols], Values(seed: 3)));

        Assert.That(Signature(model, new SignatureOptions { Precision = Engine.Spectra.SpectrumPrecision.Float32 }).Layers.Single().Fingerprint,
            Is.EqualTo(Signature(model).Layers.Single().Fingerprint));
    }

    [Test]
    public void TheFingerprintIsTheSameAtOneAndTwoThreads()
    {
        string model = SafetensorsFixtures.Write(SafetensorsWriter.Float32("w.weight", [Rows, Cols], Values(seed: 4)));
        int threads = get_num_threads();
        var fingerprints = new List<string>();
        try
        {
            foreach (int n in new[] { 1, 2 })
            {
                set_num_threads(n);
                fingerprints.Add(Signature(model).Layers.Single().Fingerprint!);
            }
        }
        finally
        {
            set_num_threads(threads);
        }

        Assert.That(fingerprints[1], Is.EqualTo(fingerprints[0]));
    }

    [Test]
    public void TwoCopiesOfTheSameValuesAreUnchanged()
    {
        float[] values = Values(seed: 5);

        var comparison = SignatureComparer.Compare(Safetensors(values), Safetensors(values), failOnEquivalentChange: true);

        Assert.Multiple(() =>
        {
            Assert.That(comparison.Changes["w.weight"], Is.EqualTo(LayerChange.Unchanged));
            Assert.That(comparison.IsMatch, Is.True);
        });
    }

    [Test]
    public void PermutedRowsAreChangedButSpectrallyEquivalent()
    {
        float[] values = Values(seed: 6);
        var baseline = Safetensors(values);
        var permuted = Safetensors(RowsReversed(values));

        var quiet = SignatureComparer.Compare(baseline, permuted);
        var strict = SignatureComparer.Compare(baseline, permuted, failOnEquivalentChange: true);

        Assert.Multiple(() =>
        {
            Assert.That(quiet.Changes["w.weight"], Is.EqualTo(LayerChange.SpectrallyEquivalent));
            Assert.That(quiet.IsMatch, Is.True, "off by default: the metrics are within tolerance");
            Assert.That(quiet.SpectrallyEquivalentLayers, Is.EqualTo(new[] { "w.weight" }));
            Assert.That(strict.Findings.Select(f => f.Kind), Is.EqualTo(new[] { FindingKind.EquivalentChange }));
            Assert.That(strict.Findings.Single().Message, Does.StartWith("changed, spectrally equivalent"));
        });
    }

    [Test]
    public void ATransposedSquareMatrixIsSpectrallyEquivalent()
    {
        const int n = 40;
        var random = new Random(7);
        float[] values = Enumerable.Range(0, n * n).Select(_ => random.Next(-64, 65) / 16f).ToArray();
        float[] transposed = Enumerable.Range(0, n * n).Select(i => values[(i % n) * n + i / n]).ToArray();

        Assert.That(ChangeOf(Safetensors(values, [n, n]), Safetensors(transposed, [n, n])), Is.EqualTo(LayerChange.SpectrallyEquivalent));
    }

    [Test]
    public void AReinitialisedLayerIsChanged()
    {
        float[] values = Values(seed: 8);
        // Fresh values at 4x the scale: every norm metric moves far beyond its tolerance.
        float[] reinitialised = Values(seed: 9).Select(v => 4 * v).ToArray();

        Assert.That(ChangeOf(Safetensors(values), Safetensors(reinitialised)), Is.EqualTo(LayerChange.Changed));
    }

    [Test]
    public void ABaselineWrittenBeforeFingerprintsComparesCleanly()
    {
        var current = Safetensors(Values(seed: 10));
        string old = SignatureJson.ToText(current);
        old = string.Join("\n", old.Split('\n').Where(line => !line.Contains("\"fingerprint\"", StringComparison.Ordinal)));
        var baseline = SignatureJson.Parse("old.json", System.Text.Encoding.UTF8.GetBytes(old));

        var comparison = SignatureComparer.Compare(baseline, current, failOnEquivalentChange: true);

        Assert.Multiple(() =>
        {
            Assert.That(baseline.Layers.Single().Fingerprint, Is.Null);
            Assert.That(comparison.IsMatch, Is.True);
            Assert.That(comparison.Changes["w.weight"], Is.EqualTo(LayerChange.NotFingerprinted));
        });
    }

    [Test]
    public void TheFingerprintSurvivesTheJsonAndAMalformedOneIsRefusedNamingTheLayer()
    {
        var signature = Safetensors(Values(seed: 11));
        string text = SignatureJson.ToText(signature);
        string fingerprint = signature.Layers.Single().Fingerprint!;

        var read = SignatureJson.Parse("s.json", System.Text.Encoding.UTF8.GetBytes(text));
        var bad = Assert.Throws<BaselineFormatException>(() =>
            SignatureJson.Parse("s.json", System.Text.Encoding.UTF8.GetBytes(text.Replace(fingerprint, "not-a-hash", StringComparison.Ordinal))));

        Assert.Multiple(() =>
        {
            Assert.That(read.Layers.Single().Fingerprint, Is.EqualTo(fingerprint));
            Assert.That(bad!.Layer, Is.EqualTo("w.weight"));
            Assert.That(bad.Problem, Does.Contain("fingerprint"));
        });
    }
}
