namespace SpectralGate.Engine.Matrices;

/// <summary>What a weight tensor is, guessed from its name and shape; written to signatures as snake_case.</summary>
public enum LayerKind
{
    Linear,
    Conv,
    Embedding,
    AttentionProjection,

    /// <summary>One expert's matrix, cut from a fused mixture-of-experts tensor <c>[experts, rows, cols]</c>.</summary>
    Expert,
}
