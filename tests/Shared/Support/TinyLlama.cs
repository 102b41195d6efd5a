using SpectralGate.Engine.Sources.Safetensors;

namespace SpectralGate.Tests.Support;

/// <summary>
/// A two-block llama-shaped model made in C# (d = 64, d_ff = 128, vocabulary 256), written as Hugging Face
/// safetensors and as GGUF with llama.cpp's names, quantized by ggml's reference Q4_0 / Q8_0. Its layers differ on
/// purpose: Gaussian, heavy-tailed (cubed Gaussian: outliers set each block's scale) and nearly low-rank (rank 4 plus
/// faint noise), so quantization hurts them unequally.
/// </summary>
internal static class TinyLlama
{
    public sealed record Weight(string HfName, string GgufName, long[] Shape, float[] Values);

    public static IReadOnlyList<Weight> Weights()
    {
        var rng = new Random(2026);
        float Gauss() => (float)(Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble()));
        float[] Gaussian(int n, float scale) => Enumerable.Range(0, n).Select(_ => scale * Gauss()).ToArray();
        float[] HeavyTailed(int n, float scale) => Enumerable.Range(0, n).Select(_ => { float g = Gauss(); return scale * g * g * g; }).ToArray();
        float[] LowRank(int rows, int cols, int rank, float noise)
        {
            float[] u = Gaussian(rows * rank, 1), v = Gaussian(rank * cols, 1);
            var w = new float[rows * cols];
            for (int r = 0; r < rows; r++)
                for (int c = 0; c < cols; c++)
                {
                    float s = 0;
                    for (int k = 0; k < rank; k++) s += u[r * rank + k] * v[k * cols + c];
                    w[r * cols + c] = 0.02f * s + noise * Gauss();
                }
            return w;
        }

        const int d = 64, ff = 128, vocab = 256;
        var weights = new List<Weight> { new("model.embed_tokens.weight", "token_embd.weight", [vocab, d], Gaussian(vocab * d, 0.02f)) };
        for (int b = 0; b < 2; b++)
        {
            string hf = $"model.layers.{b}.", gg = $"blk.{b}.";
            weights.Add(new(hf + "self_attn.q_proj.weight", gg + "attn_q.weight", [d, d], b == 0 ? Gaussian(d * d, 0.05f) : HeavyTailed(d * d, 0.02f)));
            weights.Add(new(hf + "self_attn.k_proj.weight", gg + "attn_k.weight", [d, d], Gaussian(d * d, 0.05f)));
            weights.Add(new(hf + "self_attn.v_proj.weight", gg + "attn_v.weight", [d, d], LowRank(d, d, 4, 0.0005f)));
            weights.Add(new(hf + "self_attn.o_proj.weight", gg + "attn_output.weight", [d, d], Gaussian(d * d, 0.05f)));
            weights.Add(new(hf + "mlp.gate_proj.weight", gg + "ffn_gate.weight", [ff, d], HeavyTailed(ff * d, 0.02f)));
            weights.Add(new(hf + "mlp.up_proj.weight", gg + "ffn_up.weight", [ff, d], Gaussian(ff * d, 0.05f)));
            weights.Add(new(hf + "mlp.down_proj.weight", gg + "ffn_down.weight", [d, ff], b == 1 ? LowRank(d, ff, 4, 0.0005f) : Gaussian(d * ff, 0.05f)));
            weights.Add(new(hf + "input_layernorm.weight", gg + "attn_norm.weight", [d], Enumerable.Repeat(1f, d).ToArray()));
        }
        weights.Add(new("lm_head.weight", "output.weight", [vocab, d], Gaussian(vocab * d, 0.02f)));
        return weights;
    }

    public static string WriteSafetensors(string path)
    {
        SafetensorsWriter.Write(path, Weights().Select(w => SafetensorsWriter.Float32(w.HfName, w.Shape, w.Values)).ToArray());
        return path;
    }

    /// <summary>GGML type id 2 (Q4_0) or 8 (Q8_0) for matrices; 1-D tensors stay F32, as llama.cpp's quantize leaves norms.</summary>
    public static string WriteGguf(string path, int typeId)
    {
        var writer = new GgufWriter().String("general.architecture", "llama").String("general.name", "tiny-llama");
        foreach (var w in Weights())
        {
            if (w.Shape.Length == 1) writer.AddF32(w.GgufName, w.Shape, w.Values);
            else writer.Add(w.GgufName, w.Shape, typeId, typeId == 2 ? GgmlReferenceQuantizer.Q4_0(w.Values) : GgmlReferenceQuantizer.Q8_0(w.Values));
        }
        return writer.Write(path);
    }
}
