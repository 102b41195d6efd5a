namespace SpectralGate.Engine.Gate;

/// <summary>Stable diagnostic codes of the spectral gate, one per kind of failure (docs/gate.md lists them).</summary>
public static class GateCodes
{
    /// <summary>A metric moved beyond tolerance, became undefined, or the layer became non-finite/degenerate.</summary>
    public const string Regression = "SG1001";

    /// <summary>A layer was added, removed or reshaped.</summary>
    public const string StructuralChange = "SG1002";

    /// <summary>The model has no baseline file yet.</summary>
    public const string MissingBaseline = "SG1003";

    /// <summary>The model file is missing, truncated, corrupt or in an unknown format.</summary>
    public const string UnreadableModel = "SG1004";

    /// <summary>The baseline file exists but cannot be read.</summary>
    public const string UnreadableBaseline = "SG1005";

    /// <summary>A baseline whose model is gone.</summary>
    public const string StaleBaseline = "SG1006";

    /// <summary>The baseline was computed with other settings (precision, selection, ...), so it is not comparable.</summary>
    public const string SettingsChanged = "SG1007";
}
