using TorchSharp;

namespace SpectralGate.Engine.Sources.Gguf;

/// <summary>
/// llama.cpp's converter (<c>convert_hf_to_gguf.py</c>, <c>LlamaModel.undo_permute = True</c>) reorders the rows of every
/// <c>q_proj</c> and <c>k_proj</c> of a llama checkpoint for its rotary embedding, per head:
/// <c>w.reshape(n_head, 2, rows/n_head/2, cols).swapaxes(1, 2).reshape(rows, cols)</c> (k with <c>n_head_kv</c>).
/// A row permutation leaves every spectrum unchanged, but a delta or fingerprint against the Hugging Face checkpoint
/// would see every value moved, so the source undoes it. Only <c>general.architecture = llama</c> is permuted
/// (Qwen2/Qwen3 converters leave the rows alone); without <c>llama.attention.head_count</c> the rows stay as stored.
/// </summary>
public static class LlamaRopeOrder
{
    /// <summary>Heads the rows of <paramref name="ggufName"/> were permuted over, or null when they were not.</summary>
    public static long? PermutedHeads(string ggufName, GgufHeader header)
    {
        if (header.Architecture != "llama") return null;
        long? heads = Integer(header, "llama.attention.head_count");
        if (ggufName.EndsWith(".attn_q.weight", StringComparison.Ordinal)) return heads;
        if (ggufName.EndsWith(".attn_k.weight", StringComparison.Ordinal)) return Integer(header, "llama.attention.head_count_kv") ?? heads;
        return null;
    }

    /// <summary>The inverse permutation: <c>w.reshape(n_head, rows/n_head/2, 2, cols).swapaxes(1, 2).reshape(rows, cols)</c>.</summary>
    public static torch.Tensor ToHuggingFace(torch.Tensor weight, long heads)
    {
        long rows = weight.shape[0], cols = weight.shape[1];
        return weight.reshape(heads, rows / heads / 2, 2, cols).swapaxes(1, 2).reshape(rows, cols).contiguous();
    }

    /// <summary>True when the rows split evenly into pairs per head (a file that does not is read as stored).</summary>
    public static bool Fits(long[] shape, long heads) => shape.Length == 2 && heads > 0 && shape[0] % (2 * heads) == 0;

    private static long? Integer(GgufHeader header, string key) => header.Metadata.GetValueOrDefault(key) switch
    {
        uint u => u,
        int i => i,
        ulong ul => (long)ul,
        long l => l,
        _ => null,
    };
}
