namespace SpectralGate.Engine.Matrices;

/// <summary>
/// The scale of Conv2D kernel matrices. WeightWatcher multiplies each Conv2D matrix by √(1/2) by default
/// (<c>apply_normalize_Wmats</c> with <c>conv2d_norm=True</c>: √(conv2d_count/2) with conv2d_count = 1), which halves
/// their eigenvalues: λ_max and xmin ×½, log_norm and log_spectral_norm − log10 2, alpha, ranks and mp_softrank unchanged.
/// </summary>
public enum ConvNormalisation
{
    /// <summary>Default: the weights as stored, so a Conv2D layer's norms are those of its own kernel, like every other layer's.</summary>
    None,

    /// <summary>WeightWatcher's <c>conv2d_norm</c>: Conv2D eigenvalues × ½ (Conv1D and dense layers unchanged, as in WeightWatcher).</summary>
    WeightWatcher,
}

/// <summary>What <see cref="ConvNormalisation"/> does to a tensor's eigenvalues.</summary>
public static class ConvNormalisations
{
    /// <summary>
    /// The factor on the eigenvalues of a tensor of this shape: ½ for a Conv2D kernel <c>[out, in, kh, kw]</c> under
    /// <see cref="ConvNormalisation.WeightWatcher"/>, else 1. Applied to λ, not to W, so that it is exact: (W·√½)ᵀ(W·√½)
    /// would round √½ twice.
    /// </summary>
    public static double EigenvalueScale(ConvNormalisation normalisation, string name, long[] shape) =>
        normalisation == ConvNormalisation.WeightWatcher && shape.Length == 4 && LayerKinds.Classify(name, shape) == LayerKind.Conv ? 0.5 : 1;

    /// <summary>The settings value, or null for the default (not written, so existing baselines are unchanged).</summary>
    public static string? Describe(ConvNormalisation normalisation) => normalisation == ConvNormalisation.WeightWatcher ? "weightwatcher" : null;
}
