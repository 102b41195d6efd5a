using SpectralGate.Engine.Deltas;
using SpectralGate.Engine.Signatures;
using SpectralGate.Engine.Sources.Gguf;
using SpectralGate.Engine.Sources.Safetensors;
using SpectralGate.Tests.Support;

namespace SpectralGate.Engine.Tests.Deltas;

/// <summary>
/// A delta and fingerprints between a Hugging Face safetensors checkpoint and its GGUF conversion: names through
/// <see cref="GgufNameMap"/>, q/k rows through <see cref="LlamaRopeOrder"/>, written here as llama.cpp's converter does.
/// </summary>
public class GgufDeltaTests
{
    private const int Heads = 4;

    /// <summary>llama.cpp's <c>LlamaModel.permute</c>: <c>w.reshape(n_head, 2, rows/n_head/2, cols).swapaxes(1, 2).reshape(rows, cols)</c>.</summary>
    private static float[] LlamaCppPermute(float[] w, long rows, long cols, int heads)
    {
        long half = rows / heads / 2;
        var result = new float[w.Length];
        for (long h = 0; h < heads; h++)
            for (long i = 0; i < half; i++)
                for (long j = 0; j < 2; j++)
                    Array.Copy(w, (h * 2 * half + j * half + i) * cols, result, (h * 2 * half + i * 2 + j) * cols, cols);
        return result;
    }

    private static string WriteGguf(int typeId, bool withHeadCount)
    {
        var writer = new GgufWriter().String("general.architecture", "llama").String("general.name", "tiny-llama");
        if (withHeadCount) writer.UInt32("llama.attention.head_count", Heads).UInt32("llama.attention.head_count_kv", Heads);
        foreach (var w in TinyLlama.Weights())
        {
            bool rope = w.GgufName.EndsWith(".attn_q.weight", StringComparison.Ordinal) || w.GgufName.EndsWith(".attn_k.weight", StringComparison.Ordinal);
            float[] values = rope ? LlamaCppPermute(w.Values, w.Shape[0], w.Shape[1], Heads) : w.Values;
            if (w.Shape.Length == 1 || typeId == 0) writer.AddF32(w.GgufName, w.Shape, values);
            else writer.Add(w.GgufName, w.Shape, typeId, GgmlReferenceQuantizer.Q8_0(values));
        }
        return writer.Write(Path.Combine(TestPaths.NewScratchFolder(), "tiny.gguf"));
    }

    private static DeltaSignature Delta(string gguf)
    {
        string hf = TinyLlama.WriteSafetensors(Path.Combine(TestPaths.NewScratchFolder(), "tiny.safetensors"));
        using var baseSource = new SafetensorsFileSource(hf);
        using var tuned = new GgufModelSource(gguf);
        return DeltaEngine.Compute(baseSource, tuned);
    }

    [Test]
    public void AnF32ConversionIsUnchangedLayerByLayerThroughTheNameMapAndTheRopeOrder()
    {
        var delta = Delta(WriteGguf(typeId: 0, withHeadCount: true));

        Assert.Multiple(() =>
        {
            Assert.That(delta.OnlyInBase, Is.Empty);
            Assert.That(delta.OnlyInTuned, Is.Empty);
            Assert.That(delta.Layers.Select(l => l.Name), Does.Contain("model.layers.1.self_attn.q_proj.weight").And.Contain("lm_head.weight"));
            Assert.That(delta.Layers.Where(l => l.Status != DeltaStatus.Unchanged).Select(l => l.Name), Is.Empty);
        });
    }

    [Test]
    public void AnF32ConversionHasTheFingerprintsOfItsSource()
    {
        string hf = TinyLlama.WriteSafetensors(Path.Combine(TestPaths.NewScratchFolder(), "tiny.safetensors"));
        SpectralSignature a, b;
        using (var s = new SafetensorsFileSource(hf)) a = SpectralEngine.Compute(s);
        using (var g = new GgufModelSource(WriteGguf(typeId: 0, withHeadCount: true))) b = SpectralEngine.Compute(g);

        Assert.That(b.Layers.Select(l => (l.Name, l.Fingerprint)), Is.EqualTo(a.Layers.Select(l => (l.Name, l.Fingerprint))));
    }

    [Test]
    public void WithoutTheHeadCountTheRowsStayAsStoredAndOnlyQAndKChange()
    {
        var delta = Delta(WriteGguf(typeId: 0, withHeadCount: false));

        Assert.That(delta.Layers.Where(l => l.Status != DeltaStatus.Unchanged).Select(l => l.Name), Is.EquivalentTo(new[]
        {
            "model.layers.0.self_attn.q_proj.weight", "model.layers.0.self_attn.k_proj.weight",
            "model.layers.1.self_attn.q_proj.weight", "model.layers.1.self_attn.k_proj.weight",
        }));
    }

    [Test]
    public void AQ8ZeroConversionChangesEveryMatrixByNoMoreThanHalfAQuantizationStep()
    {
        var delta = Delta(WriteGguf(typeId: 8, withHeadCount: true));

        foreach (var w in TinyLlama.Weights().Where(w => w.Shape.Length == 2))
        {
            // Q8_0: blocks of 32 with d = max|x|/127, each value rounded to a multiple of d, so |error| ≤ d/2 and
            // ‖ΔW‖²_F ≤ Σ_blocks 32·(d/2)² (an upper bound; d is stored as f16, a relative 2^-11 more).
            double bound = 0, norm = 0;
            for (int start = 0; start < w.Values.Length; start += 32)
            {
                double d = w.Values.Skip(start).Take(32).Max(v => Math.Abs((double)v)) / 127 * (1 + 1.0 / 1024);
                bound += 32 * (d / 2) * (d / 2);
            }
            foreach (float v in w.Values) norm += (double)v * v;
            var layer = delta.Layer(w.HfName)!;
            Assert.That(layer.Status, Is.EqualTo(DeltaStatus.Changed), w.HfName);
            Assert.That(layer[DeltaMetricNames.RelativeChange], Is.GreaterThan(0).And.LessThanOrEqualTo(Math.Sqrt(bound / norm)), w.HfName);
        }
    }
}
