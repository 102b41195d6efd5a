namespace SpectralGate.Engine.Matrices;

public static class LayerKinds
{
    public static string ToJsonName(this LayerKind kind) => kind switch
    {
        LayerKind.Linear => "linear",
        LayerKind.Conv => "conv",
        LayerKind.Embedding => "embedding",
        LayerKind.AttentionProjection => "attention_projection",
        LayerKind.Expert => "expert",
        LayerKind.Activation => "activation",
        LayerKind.Hessian => "hessian",
        LayerKind.Recurrence => "recurrence",
        LayerKind.Mixer => "mixer",
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    public static LayerKind FromJsonName(string name) => name switch
    {
        "linear" => LayerKind.Linear,
        "conv" => LayerKind.Conv,
        "embedding" => LayerKind.Embedding,
        "attention_projection" => LayerKind.AttentionProjection,
        "expert" => LayerKind.Expert,
        "activation" => LayerKind.Activation,
        "hessian" => LayerKind.Hessian,
        "recurrence" => LayerKind.Recurrence,
        "mixer" => LayerKind.Mixer,
        _ => throw new ArgumentException($"unknown layer kind '{name}'.", nameof(name)),
    };

    private static readonly string[] EmbeddingMarkers = ["embed", "wte", "wpe", "tok_emb", "lm_head", "word_embeddings", "shared.weight"];
    private static readonly string[] AttentionMarkers = ["q_proj", "k_proj", "v_proj", "o_proj", "in_proj", "out_proj", "query", "key", "value", "qkv", "c_attn", "attn.c_proj", "self_attn", "attention"];

    /// <summary>
    /// Fused experts (3-D, named as experts: <see cref="IsExperts"/>) and convolutions (3-D and up) by rank; embeddings
    /// and attention projections by the names the common model families use.
    /// </summary>
    public static LayerKind Classify(string name, long[] shape)
    {
        if (IsExperts(name, shape)) return LayerKind.Expert;
        if (shape.Length >= 3) return LayerKind.Conv;
        string lower = name.ToLowerInvariant();
        if (EmbeddingMarkers.Any(lower.Contains)) return LayerKind.Embedding;
        if (AttentionMarkers.Any(lower.Contains)) return LayerKind.AttentionProjection;
        return LayerKind.Linear;
    }

    private static readonly string[] ExpertMarkers = ["expert", "moe"];
    private static readonly string[] ConvMarkers = ["conv", "patch_embed", "downsample", "feature_extractor", "stem", "tdnn"];

    /// <summary>Longest kernel a 3-D tensor named neither way may have to be taken as a Conv1d kernel <c>[out, in, k]</c>, by shape alone.</summary>
    public const long MaxUnnamedKernel = 32;

    /// <summary>
    /// A fused mixture-of-experts tensor <c>[experts, rows, cols]</c>: 3-D, with a name that says so (<c>experts</c>,
    /// <c>expert</c>, <c>moe</c>: Qwen-MoE, Mixtral, gpt-oss, Llama 4, DeepSeek; their <c>w1/w2/w3</c>, <c>gate_up_proj</c>,
    /// <c>down_proj</c> all sit under such a name).
    /// </summary>
    public static bool IsExperts(string name, long[] shape)
    {
        if (shape.Length != 3) return false;
        string lower = name.ToLowerInvariant();
        return ExpertMarkers.Any(lower.Contains);
    }

    /// <summary>
    /// Why a tensor of rank 3 and up cannot be cut into matrices, or null when it can: 4-D and 5-D are convolution
    /// kernels, 3-D ones are experts or Conv1d kernels by name, and by shape only when the last axis is short enough to
    /// be a kernel. Anything else is not guessed.
    /// </summary>
    public static string? UnknownLayoutReason(string name, long[] shape)
    {
        if (shape.Length != 3 || IsExperts(name, shape)) return null;
        string lower = name.ToLowerInvariant();
        if (ConvMarkers.Any(lower.Contains)) return null;
        if (shape[2] <= MaxUnnamedKernel && shape[2] < Math.Min(shape[0], shape[1])) return null;
        return $"3-D tensor [{string.Join(", ", shape)}] is named neither as experts nor as a convolution, and its last axis is too long for a kernel; not guessed";
    }
}
