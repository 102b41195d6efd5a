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

    /// <summary>A baseline in the baseline folder that no <c>SpectralModel</c> item of the project uses any more (the model was removed from the project).</summary>
    public const string StaleBaseline = "SG1006";

    /// <summary>The baseline was computed with other settings (precision, selection, ...), so it is not comparable.</summary>
    public const string SettingsChanged = "SG1007";

    /// <summary>The spectralgate tool is missing, failed to start, crashed, or cannot load libtorch on this machine.</summary>
    public const string ToolFailure = "SG1008";

    /// <summary>A layer's spectrum did not fit in memory (RAM, or the GPU's).</summary>
    public const string OutOfMemory = "SG1009";

    /// <summary>The eigensolver failed on a layer even after its fallbacks.</summary>
    public const string EigensolverFailure = "SG1010";

    /// <summary>The device asked for (<c>cuda</c>, <c>cuda:N</c>) is not available to the tool.</summary>
    public const string DeviceUnavailable = "SG1011";

    /// <summary>Two <c>SpectralModel</c> items of one project resolve to the same baseline file.</summary>
    public const string BaselineCollision = "SG1012";

    /// <summary>Accepting baselines was asked for on a CI machine without forcing it.</summary>
    public const string AcceptRefusedOnCi = "SG1013";

    /// <summary>True for the codes that say the check could not be carried out here, rather than anything about the model or its baseline.</summary>
    public static bool IsEnvironmentFailure(string code) => code is ToolFailure or OutOfMemory or EigensolverFailure or DeviceUnavailable;

    /// <summary>The model was read but no layer of it was analysed (every tensor skipped, or none at all).</summary>
    public const string NothingAnalysed = "SG1014";

    /// <summary>A layer's values changed (its fingerprint differs) but every metric is within tolerance; only when the gate is told to fail on it.</summary>
    public const string EquivalentChange = "SG1015";

    /// <summary>A warning: the baseline holds a key this release does not know, or a tolerance rule of an unknown metric.</summary>
    public const string BaselineNotUnderstood = "SG1016";

    /// <summary>A warning: the run analysed less than half of the model's weight parameters (quantized weights not decoded, tensors of no float type).</summary>
    public const string MinorityAnalysed = "SG1017";
}
