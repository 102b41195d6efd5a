using System.IO.Hashing;
using SpectralGate.Engine.Baselines;
using SpectralGate.Engine.Deltas;
using SpectralGate.Engine.Sources.Safetensors;
using SpectralGate.Tests.Support;
using static TorchSharp.torch;

namespace SpectralGate.Engine.Tests.Deltas;

public class AdapterFingerprintTests
{
    private const string Target = "model.layers.0.self_attn.q_proj.weight";

    /// <summary>A one-module PEFT folder with the given factors (B [48, 4], A [4, 32]) and lora_alpha (r = 4).</summary>
    private static string Adapter(Tensor b, Tensor a, double alpha)
    {
        string folder = TestPaths.NewScratchFolder();
        File.WriteAllText(Path.Combine(folder, LoraAdapter.ConfigFile),
            $$"""{"peft_type": "LORA", "r": 4, "lora_alpha": {{alpha}}, "use_rslora": false, "fan_in_fan_out": false, "target_modules": ["q_proj"]}""");
        const string stem = "base_model.model.model.layers.0.self_attn.q_proj";
        SafetensorsWriter.Write(Path.Combine(folder, LoraAdapter.WeightsFile),
            [DeltaFixtures.Float64(stem + ".lora_A.weight", a), DeltaFixtures.Float64(stem + ".lora_B.weight", b)]);
        return folder;
    }

    private static SpectralGate.Engine.Signatures.LayerSignature Layer(string folder)
    {
        using var adapter = LoraAdapter.Open(folder);
        return AdapterSpectra.Compute(adapter).Layers.Single();
    }

    [Test]
    public void AnAdapterLayersFingerprintIsXxHash128OfFloat32AThenFloat32BThenTheScale()
    {
        Tensor b = DeltaFixtures.Gaussian(48, 4, seed: 1), a = DeltaFixtures.Gaussian(4, 32, seed: 2);
        // Worked from the definition with System.IO.Hashing directly: A's float32 bytes, B's, then s = 8/4 as float64.
        var hash = new XxHash128();
        foreach (Tensor factor in new[] { a, b })
            hash.Append(System.Runtime.InteropServices.MemoryMarshal.AsBytes(factor.to(ScalarType.Float32).contiguous().data<float>().ToArray().AsSpan()));
        hash.Append(BitConverter.GetBytes(2.0));

        Assert.That(Layer(Adapter(b, a, alpha: 8)).Fingerprint, Is.EqualTo(Convert.ToHexStringLower(hash.GetCurrentHash())));
    }

    [Test]
    public void TwoAdaptersWithTheSameFactorsCompareUnchangedAndOtherFactorsOfTheSameUpdateDoNot()
    {
        Tensor b = DeltaFixtures.Gaussian(48, 4, seed: 1), a = DeltaFixtures.Gaussian(4, 32, seed: 2);
        var first = Layer(Adapter(b, a, alpha: 8));
        var copy = Layer(Adapter(b.clone(), a.clone(), alpha: 8));
        // (2B)(A/2) is the same ΔW, so the same spectrum; the fingerprint is of the factors, so it differs.
        var refactored = Layer(Adapter(2 * b, a / 2, alpha: 8));
        var rescaled = Layer(Adapter(b, a, alpha: 16));

        Assert.Multiple(() =>
        {
            Assert.That(LayerChanges.Classify(first, copy, hasFindings: false), Is.EqualTo(LayerChange.Unchanged));
            Assert.That(LayerChanges.Classify(first, refactored, hasFindings: false), Is.EqualTo(LayerChange.SpectrallyEquivalent));
            Assert.That(refactored[SpectralGate.Engine.Metrics.MetricNames.StableRank], Is.EqualTo(first[SpectralGate.Engine.Metrics.MetricNames.StableRank]!.Value).Within(1e-12));
            Assert.That(rescaled.Fingerprint, Is.Not.EqualTo(first.Fingerprint), "the scale is hashed");
        });
    }
}
