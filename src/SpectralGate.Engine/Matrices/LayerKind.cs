namespace SpectralGate.Engine.Matrices;

/// <summary>
/// What a layer is, written to signatures as snake_case: a weight's kind (from its module, a kind map or its name:
/// <see cref="LayerKindRules"/>, docs/layer-kinds.md) or a probe's (its own metrics: <c>Probes/ProbeLayerKinds</c>).
/// </summary>
public enum LayerKind
{
    Linear,
    Conv,
    Embedding,
    AttentionProjection,

    /// <summary>One expert's matrix, cut from a fused mixture-of-experts tensor <c>[experts, rows, cols]</c>.</summary>
    Expert,

    /// <summary>An activation covariance spectrum (<c>probe:activations/…</c>).</summary>
    Activation,

    /// <summary>A loss Hessian's spectrum (<c>probe:hessian</c>).</summary>
    Hessian,

    /// <summary>The state transitions of a linear recurrence (<c>probe:recurrence/…</c>).</summary>
    Recurrence,

    /// <summary>A residual-stream mixing matrix (<c>probe:mixer/…</c>).</summary>
    Mixer,
}
