using SpectralGate.Engine.Deltas;
using SpectralGate.Engine.Errors;
using SpectralGate.Engine.Sources.Safetensors;
using SpectralGate.Tests.Support;
using static TorchSharp.torch;

namespace SpectralGate.Engine.Tests.Deltas;

/// <summary>
/// llama.cpp LoRA adapters written here as convert_lora_to_gguf.py writes them from a PEFT adapter: names through the
/// converter's tensor map, lora_a/lora_b with ne [in, r] / [r, out] (numpy [r, in] / [out, r], as llama-adapter.cpp
/// checks), B's rows of q/k in llama's rope order (the converter permutes them as the model's), token_embd's lora_a
/// transposed, alpha as adapter.lora.alpha. The GGUF adapter must then read as the PEFT adapter it came from.
/// </summary>
public class GgufLoraAdapterTests
{
    private const int Heads = 4, Rank = 4, Hidden = 32, Vocab = 48;
    private const float Alpha = 8;
    private const string Q = "model.layers.0.self_attn.q_proj", V = "model.layers.0.self_attn.v_proj", Up = "model.layers.0.mlp.up_proj", Embed = "model.embed_tokens";

    private static readonly (string Hf, string Gguf, int Out, int In)[] Targets =
    [
        (Q, "blk.0.attn_q.weight", Hidden, Hidden),
        (V, "blk.0.attn_v.weight", Hidden, Hidden),
        (Up, "blk.0.ffn_up.weight", 64, Hidden),
    ];

    private static float[] Gaussian(int rows, int cols, int seed) => DeltaFixtures.Gaussian(rows, cols, seed).to_type(ScalarType.Float32).data<float>().ToArray();

    /// <summary>llama.cpp's <c>LlamaModel.permute</c> of rows: <c>w.reshape(n_head, 2, rows/n_head/2, cols).swapaxes(1, 2)</c>.</summary>
    private static float[] Permute(float[] w, int rows, int cols, int heads)
    {
        int half = rows / heads / 2;
        var result = new float[w.Length];
        for (int h = 0; h < heads; h++)
            for (int i = 0; i < half; i++)
                for (int j = 0; j < 2; j++)
                    Array.Copy(w, (h * 2 * half + j * half + i) * cols, result, (h * 2 * half + i * 2 + j) * cols, cols);
        return result;
    }

    private static float[] Transpose(float[] w, int rows, int cols)
    {
        var t = new float[w.Length];
        for (int r = 0; r < rows; r++) for (int c = 0; c < cols; c++) t[c * rows + r] = w[r * cols + c];
        return t;
    }

    private sealed record Pair(string Folder, string Gguf);

    /// <summary>A PEFT adapter (float32 factors) and its GGUF conversion; <paramref name="badRank"/> writes a lora_b of another rank.</summary>
    private static Pair Write(bool badRank = false)
    {
        string folder = TestPaths.NewScratchFolder();
        File.WriteAllText(Path.Combine(folder, LoraAdapter.ConfigFile), $$"""{"peft_type": "LORA", "r": {{Rank}}, "lora_alpha": {{Alpha}}, "target_modules": ["q_proj", "v_proj", "up_proj", "embed_tokens"]}""");
        var peft = new List<SafetensorsWriter.Tensor>();
        var gguf = new GgufWriter().String("general.architecture", "llama").String("general.type", "adapter").String("adapter.type", "lora").Float32("adapter.lora.alpha", Alpha);
        int seed = 300;
        foreach (var (hf, name, outDim, inDim) in Targets)
        {
            float[] a = Gaussian(Rank, inDim, seed++), b = Gaussian(outDim, Rank, seed++);
            peft.Add(SafetensorsWriter.Float32($"base_model.model.{hf}.lora_A.weight", [Rank, inDim], a));
            peft.Add(SafetensorsWriter.Float32($"base_model.model.{hf}.lora_B.weight", [outDim, Rank], b));
            gguf.AddF32(name + ".lora_a", [Rank, inDim], a); // ne [in, r]
            float[] bStored = hf == Q ? Permute(b, outDim, Rank, Heads) : b;
            int rankB = badRank && hf == V ? Rank + 4 : Rank;
            gguf.AddF32(name + ".lora_b", [outDim, rankB], rankB == Rank ? bStored : Gaussian(outDim, rankB, 999)); // ne [r, out]
        }
        // PEFT's embedding adapter: lora_embedding_A [r, vocab], lora_embedding_B [hidden, r], ΔW = s·(B·A)ᵀ; the converter
        // transposes lora_a for token_embd.
        float[] ea = Gaussian(Rank, Vocab, seed++), eb = Gaussian(Hidden, Rank, seed++);
        peft.Add(SafetensorsWriter.Float32($"base_model.model.{Embed}.lora_embedding_A", [Rank, Vocab], ea));
        peft.Add(SafetensorsWriter.Float32($"base_model.model.{Embed}.lora_embedding_B", [Hidden, Rank], eb));
        gguf.AddF32("token_embd.weight.lora_a", [Vocab, Rank], Transpose(ea, Rank, Vocab));
        gguf.AddF32("token_embd.weight.lora_b", [Hidden, Rank], eb);
        SafetensorsWriter.Write(Path.Combine(folder, LoraAdapter.WeightsFile), peft);
        return new Pair(folder, gguf.Write(Path.Combine(TestPaths.NewScratchFolder(), "adapter.gguf")));
    }

    [Test]
    public void AGgufAdapterHasTheSpectraOfThePeftAdapterItWasConvertedFrom()
    {
        var pair = Write();
        using var peft = LoraAdapter.Open(pair.Folder);
        using var gguf = LoraAdapter.Open(pair.Gguf);
        var fromPeft = AdapterSpectra.Compute(peft);
        var fromGguf = AdapterSpectra.Compute(gguf);

        Assert.Multiple(() =>
        {
            Assert.That(LoraAdapter.IsAdapter(pair.Gguf), Is.True);
            Assert.That(gguf.Modules.Select(m => (m.Target, m.Scale)), Is.EquivalentTo(Targets.Select(t => (t.Hf + ".weight", (double)Alpha / Rank)).Append((Embed + ".weight", (double)Alpha / Rank))));
            foreach (var layer in fromPeft.Layers)
            {
                var other = fromGguf.Layer(layer.Name)!;
                Assert.That(other.Shape, Is.EqualTo(layer.Shape), layer.Name);
                foreach (var (metric, value) in layer.Metrics)
                    if (value is null) Assert.That(other[metric], Is.Null, $"{layer.Name} {metric}");
                    else Assert.That(other[metric], Is.EqualTo(value.Value).Within(1e-5 * Math.Max(1, Math.Abs(value.Value))), $"{layer.Name} {metric}");
            }
            Assert.That(fromGguf.Model.Format, Is.EqualTo("gguf_lora"));
        });
    }

    [Test]
    public void TheTokenEmbeddingUpdateIsSTimesLoraATimesLoraBTransposed()
    {
        var pair = Write();
        using var gguf = LoraAdapter.Open(pair.Gguf);
        var module = gguf.Modules.Single(m => m.Target == Embed + ".weight");
        Tensor a = module.A.Load(CPU, ScalarType.Float64), b = module.B.Load(CPU, ScalarType.Float64);
        double[] sigma = linalg.svdvals(a.matmul(b.t()) * module.Scale).data<double>().ToArray();

        double[] lambda = gguf.Eigenvalues(module, CPU, ScalarType.Float64);

        Assert.Multiple(() =>
        {
            Assert.That(gguf.TargetShape(module), Is.EqualTo(new long[] { Vocab, Hidden }));
            for (int i = 0; i < Rank; i++) Assert.That(Math.Sqrt(lambda[i]), Is.EqualTo(sigma[i]).Within(1e-9 * sigma[0]), $"σ_{i}");
        });
    }

    [Test]
    public void TheDeltaAgainstAGgufAdapterEqualsTheDeltaAgainstItsPeftAdapterRopeRowsRestored()
    {
        var pair = Write();
        var weights = Targets.Select((t, i) => (t.Hf + ".weight", DeltaFixtures.Gaussian(t.Out, t.In, 50 + i))).Append((Embed + ".weight", DeltaFixtures.Gaussian(Vocab, Hidden, 60))).ToArray();
        string basePath = DeltaFixtures.Checkpoint(weights);
        File.WriteAllText(Path.Combine(Path.GetDirectoryName(basePath)!, "config.json"), $$"""{"num_attention_heads": {{Heads}}, "num_key_value_heads": {{Heads}}}""");
        using var baseSource = new SafetensorsFileSource(basePath);
        using var peft = LoraAdapter.Open(pair.Folder);
        using var gguf = LoraAdapter.Open(pair.Gguf);

        var fromPeft = DeltaEngine.Compute(baseSource, peft);
        var fromGguf = DeltaEngine.Compute(baseSource, gguf);

        Assert.Multiple(() =>
        {
            // PEFT's reader lists lora_embedding_A/B as not LoRA matrices, so the embedding is compared in the test above.
            foreach (var layer in fromPeft.Layers.Where(l => l.Name != Embed + ".weight"))
            {
                Assert.That(fromGguf.Layer(layer.Name)!.Status, Is.EqualTo(layer.Status), layer.Name);
                foreach (var (metric, value) in layer.Metrics)
                {
                    double? other = fromGguf.Layer(layer.Name)![metric];
                    if (value is null) Assert.That(other, Is.Null, $"{layer.Name} {metric}");
                    else Assert.That(other, Is.EqualTo(value.Value).Within(1e-5 * Math.Max(1, Math.Abs(value.Value))), $"{layer.Name} {metric}");
                }
            }
            Assert.That(fromGguf.Layer(Q + ".weight")!.Status, Is.EqualTo(DeltaStatus.Changed));
        });
    }

    [Test]
    public void AFactorPairOfTwoRanksIsRefusedNamingFileTensorAndBothRanks()
    {
        var pair = Write(badRank: true);

        var error = Assert.Throws<ModelFormatException>(() => LoraAdapter.Open(pair.Gguf));

        Assert.Multiple(() =>
        {
            Assert.That(error!.FilePath, Is.EqualTo(pair.Gguf));
            Assert.That(error.Layer, Is.EqualTo("blk.0.attn_v.weight.lora_a"));
            Assert.That(error.Message, Does.Contain("rank 4").And.Contain("rank 8"));
        });
        var cli = CliRunner.Run("inspect", pair.Gguf);
        Assert.That(cli.ExitCode, Is.EqualTo(2), cli.Output + cli.Error);
    }
}
