namespace SpectralGate.Engine.Matrices;

/// <summary>What a weight tensor is, guessed from its name and shape; written to signatures as snake_case.</summary>
public enum LayerKind
{
    Linear,
    Conv,
    Embedding,
    AttentionProjection,
}

public static class LayerKinds
{
    public static string ToJsonName(this LayerKind kind) => kind switch
    {
        LayerKind.Linear => "linear",
        LayerKind.Conv => "conv",
        LayerKind.Embedding => "embedding",
        LayerKind.AttentionProjection => "attention_projection",
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    public static LayerKind FromJsonName(string name) => name switch
    {
        "linear" => LayerKind.Linear,
        "conv" => LayerKind.Conv,
        "embedding" => LayerKind.Embedding,
        "attention_projection" => LayerKind.AttentionProjection,
        _ => throw new ArgumentException($"unknown layer kind '{name}'.", nameof(name)),
    };

    private static readonly string[] EmbeddingMarkers = ["embed", "wte", "wpe", "tok_emb", "lm_head", "word_embeddings", "shared.weight"];
    private static readonly string[] AttentionMarkers = ["q_proj", "k_proj", "v_proj", "o_proj", "in_proj", "out_proj", "query", "key", "value", "qkv", "c_attn", "attn.c_proj", "self_attn", "attention"];

    /// <summary>Convolutions by rank (3-D and up); embeddings and attention projections by the names the common model families use.</summary>
    public static LayerKind Classify(string name, long[] shape)
    {
        if (shape.Length >= 3) return LayerKind.Conv;
        string lower = name.ToLowerInvariant();
        if (EmbeddingMarkers.Any(lower.Contains)) return LayerKind.Embedding;
        if (AttentionMarkers.Any(lower.Contains)) return LayerKind.AttentionProjection;
        return LayerKind.Linear;
    }
}
