using System.Text.RegularExpressions;

namespace SpectralGate.Engine.Sources.Gguf;

/// <summary>
/// llama.cpp's tensor names for the llama family (gguf-py <c>tensor_mapping.py</c>) back to the Hugging Face names
/// of the checkpoint they were converted from, so <c>spectralgate diff model.safetensors model.gguf</c> pairs layers.
/// Names of other architectures, and names without a counterpart (<c>rope_freqs</c>), stay as GGUF writes them.
/// </summary>
public static partial class GgufNameMap
{
    /// <summary><c>general.architecture</c> values whose Hugging Face checkpoints use the LlamaForCausalLM layout.</summary>
    public static readonly IReadOnlySet<string> LlamaFamily = new HashSet<string>(StringComparer.Ordinal) { "llama", "mistral", "qwen2", "qwen3" };

    private static readonly Dictionary<string, string> Global = new(StringComparer.Ordinal)
    {
        ["token_embd"] = "model.embed_tokens",
        ["output_norm"] = "model.norm",
        ["output"] = "lm_head",
    };

    private static readonly Dictionary<string, string> Block = new(StringComparer.Ordinal)
    {
        ["attn_norm"] = "input_layernorm",
        ["attn_q"] = "self_attn.q_proj",
        ["attn_k"] = "self_attn.k_proj",
        ["attn_v"] = "self_attn.v_proj",
        ["attn_output"] = "self_attn.o_proj",
        ["attn_q_norm"] = "self_attn.q_norm",
        ["attn_k_norm"] = "self_attn.k_norm",
        ["ffn_norm"] = "post_attention_layernorm",
        ["ffn_gate"] = "mlp.gate_proj",
        ["ffn_up"] = "mlp.up_proj",
        ["ffn_down"] = "mlp.down_proj",
    };

    [GeneratedRegex(@"^blk\.(\d+)\.([a-z_]+)\.(weight|bias)$", RegexOptions.CultureInvariant)]
    private static partial Regex BlockName();

    [GeneratedRegex(@"^([a-z_]+)\.(weight|bias)$", RegexOptions.CultureInvariant)]
    private static partial Regex GlobalName();

    public static string ToHuggingFace(string ggufName, string? architecture)
    {
        if (architecture is null || !LlamaFamily.Contains(architecture)) return ggufName;
        var m = BlockName().Match(ggufName);
        if (m.Success && Block.TryGetValue(m.Groups[2].Value, out var inBlock))
            return $"model.layers.{m.Groups[1].Value}.{inBlock}.{m.Groups[3].Value}";
        m = GlobalName().Match(ggufName);
        if (m.Success && Global.TryGetValue(m.Groups[1].Value, out var global))
            return $"{global}.{m.Groups[2].Value}";
        return ggufName;
    }
}
