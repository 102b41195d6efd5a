namespace SpectralGate.Engine.Matrices;

/// <summary>
/// A live module's parameter typed by its module class, which is known and beats any name guess: <c>Embedding</c>
/// and <c>EmbeddingBag</c> are embeddings; <c>Conv1d/2d/3d</c> and <c>ConvTranspose…</c> convolutions; a
/// <c>Linear</c> (or <c>Bilinear</c>) is an attention projection inside a module whose class names attention
/// (<c>MultiheadAttention</c>, a user's <c>CausalSelfAttention</c>), else linear; <c>MultiheadAttention</c>'s own
/// <c>in_proj_weight</c> is an attention projection.
/// </summary>
public static class ModuleLayerKinds
{
    /// <param name="moduleTypes">Class names of the modules enclosing the parameter below the root, outermost first, its owner last.</param>
    /// <returns>The kind, or null when the owner's class says nothing (a custom module's own parameter): the name rule decides.</returns>
    public static LayerKind? FromModuleTypes(IReadOnlyList<string> moduleTypes)
    {
        if (moduleTypes.Count == 0) return null;
        string owner = moduleTypes[^1];
        if (owner.StartsWith("Embedding", StringComparison.Ordinal)) return LayerKind.Embedding;
        if (owner.StartsWith("Conv", StringComparison.Ordinal)) return LayerKind.Conv;
        if (IsAttention(owner)) return LayerKind.AttentionProjection;
        if (owner is "Linear" or "Bilinear" or "NonDynamicallyQuantizableLinear")
            return moduleTypes.Take(moduleTypes.Count - 1).Any(IsAttention) ? LayerKind.AttentionProjection : LayerKind.Linear;
        return null;
    }

    private static bool IsAttention(string moduleType) =>
        moduleType.Contains("Attention", StringComparison.OrdinalIgnoreCase) || moduleType.Contains("Attn", StringComparison.Ordinal);
}
