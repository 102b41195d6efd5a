using SpectralGate.Engine.Names;
using SpectralGate.Engine.Sources;

namespace SpectralGate.Engine.Matrices;

/// <summary>
/// A weight's kind, in order of authority: the user's kind map, then the live module's class
/// (<see cref="ModuleLayerKinds"/>), then the documented name rule (<see cref="LayerKinds.Classify"/>). docs/layer-kinds.md.
/// </summary>
public static class LayerKindRules
{
    /// <summary>The kind the map or the module gives, or null when only the name rule can tell.</summary>
    public static LayerKind? Stated(TensorEntry entry, LayerKindMap map) =>
        map.KindOf(entry.Name) ?? ModuleLayerKinds.FromModuleTypes(entry.ModuleTypes);

    public static LayerKind Resolve(TensorEntry entry, LayerKindMap map) =>
        Stated(entry, map) ?? LayerKinds.Classify(entry.Name, entry.Shape);

    /// <summary>
    /// Why a tensor with a stated kind cannot be cut into matrices, or null: a 3-D and up tensor is cut as experts or as
    /// a convolution, so it must be stated as one of those. Without a stated kind, <see cref="LayerKinds.UnknownLayoutReason"/>.
    /// </summary>
    public static string? LayoutSkipReason(TensorEntry entry, LayerKind? stated)
    {
        if (stated is not { } kind) return LayerKinds.UnknownLayoutReason(entry.Name, entry.Shape);
        if (entry.Shape.Length >= 3 && kind is not (LayerKind.Conv or LayerKind.Expert))
            return $"{entry.Shape.Length}-D tensor [{string.Join(", ", entry.Shape)}] is stated as '{kind.ToJsonName()}', but only conv and expert tensors have 3 axes or more";
        if (entry.Shape.Length != 3 && kind == LayerKind.Expert && entry.Shape.Length >= 3)
            return $"{entry.Shape.Length}-D tensor [{string.Join(", ", entry.Shape)}] is stated as 'expert', but fused experts are [experts, rows, cols]";
        return null;
    }

    /// <summary>A kind-map glob that matches no tensor of the model is a typo, not a rule: refused, naming the model.</summary>
    public static void EnsureEveryGlobMatches(GlobUse kindGlobs, string model)
    {
        var unmatched = kindGlobs.Unmatched;
        if (unmatched.Count > 0)
            throw new ArgumentException($"{model}: layer kind map glob(s) {string.Join(", ", unmatched.Select(g => $"'{g}'"))} match no tensor of the model.");
    }

    /// <summary>The axis of the matrices' rows: 1 for fused experts <c>[experts, rows, cols]</c>, else 0.</summary>
    public static int RowAxis(TensorEntry entry, LayerKind kind) => kind == LayerKind.Expert && entry.Shape.Length == 3 ? 1 : 0;
}
