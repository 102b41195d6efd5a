namespace SpectralGate.Engine.Gate;

/// <summary>
/// Stable diagnostic codes of the spectral gate, one per kind of failure: the one registry of them. A new code is one
/// constant here with its <see cref="GateRuleAttribute"/>; <see cref="GateRules.All"/> (and so the SARIF rules) is read
/// from these, and GateCodeRegistryTests require a row for it in the tables of docs/gate.md and docs/cli.md.
/// </summary>
public static class GateCodes
{
    /// <summary>A metric moved beyond tolerance, became undefined, or the layer became non-finite/degenerate.</summary>
    [GateRule("SpectralRegression", "A metric moved beyond tolerance, became undefined, or the layer became non-finite or degenerate.",
        "Accept with dotnet build -p:SpectralGateAccept=true, or widen the tolerance.")]
    public const string Regression = "SG1001";

    /// <summary>A layer was added, removed or reshaped.</summary>
    [GateRule("StructuralChange", "A layer was added, removed or reshaped.",
        "Accept the new structure.")]
    public const string StructuralChange = "SG1002";

    /// <summary>The model has no baseline file yet.</summary>
    [GateRule("MissingBaseline", "The model has no baseline yet.",
        "Accept to create it, and commit it.")]
    public const string MissingBaseline = "SG1003";

    /// <summary>The model file is missing, truncated, corrupt or in an unknown format.</summary>
    [GateRule("UnreadableModel", "The model file is not found, truncated, corrupt or in an unknown format.",
        "Fix the path of the SpectralModel item or the file.")]
    public const string UnreadableModel = "SG1004";

    /// <summary>The baseline file exists but cannot be read.</summary>
    [GateRule("UnreadableBaseline", "The baseline file cannot be read.",
        "Accept to replace it, or restore it from source control.")]
    public const string UnreadableBaseline = "SG1005";

    /// <summary>A baseline in the baseline folder that no <c>SpectralModel</c> item of the project uses any more (the model was removed from the project).</summary>
    [GateRule("StaleBaseline", "A baseline that no SpectralModel item uses any more: its model was removed from the project.",
        "Delete the baseline, or add the item back.")]
    public const string StaleBaseline = "SG1006";

    /// <summary>The baseline was computed with other settings (precision, selection, ...), so it is not comparable.</summary>
    [GateRule("SettingsChanged", "The baseline was computed with other settings (precision, selection, ...).",
        "Accept with the new settings.")]
    public const string SettingsChanged = "SG1007";

    /// <summary>The spectralgate tool is missing, failed to start, crashed, or cannot load libtorch on this machine.</summary>
    [GateRule("ToolFailure", "The spectralgate tool is missing, failed to start, crashed, or cannot load libtorch on this machine.",
        "dotnet new tool-manifest; dotnet tool install SpectralGate.Cli (or dotnet tool restore).", IsEnvironmentFailure = true)]
    public const string ToolFailure = "SG1008";

    /// <summary>A layer's spectrum did not fit in memory (RAM, or the GPU's).</summary>
    [GateRule("OutOfMemory", "A layer's spectrum did not fit in memory.",
        "Use a bigger machine, float32 precision or sketched spectra (docs/scale.md).", IsEnvironmentFailure = true)]
    public const string OutOfMemory = "SG1009";

    /// <summary>The eigensolver failed on a layer even after its fallbacks.</summary>
    [GateRule("EigensolverFailure", "The eigensolver failed on a layer even after its fallbacks.",
        "Report it with the model.", IsEnvironmentFailure = true)]
    public const string EigensolverFailure = "SG1010";

    /// <summary>The device asked for (<c>cuda</c>, <c>cuda:N</c>) is not available to the tool.</summary>
    [GateRule("DeviceUnavailable", "The device asked for is not available to the tool.",
        "Run a CLI with a CUDA runtime (docs/gpu-and-linux.md), or use the cpu device.", IsEnvironmentFailure = true)]
    public const string DeviceUnavailable = "SG1011";

    /// <summary>Two <c>SpectralModel</c> items of one project resolve to the same baseline file.</summary>
    [GateRule("BaselineCollision", "Two SpectralModel items resolve to the same baseline.",
        "Give each item its own Baseline metadata.")]
    public const string BaselineCollision = "SG1012";

    /// <summary>Accepting baselines was asked for on a CI machine without forcing it.</summary>
    [GateRule("AcceptRefusedOnCi", "Accepting baselines was asked for on a CI machine.",
        "Accept locally and commit, or force it with -p:SpectralGateForceAccept=true.")]
    public const string AcceptRefusedOnCi = "SG1013";

    /// <summary>The model was read but no layer of it was analysed (every tensor skipped, or none at all).</summary>
    [GateRule("NothingAnalysed", "No layer of the model was analysed, or an include glob matches no tensor.",
        "Fix the selection (IncludeTensors, ExcludeTensors) or the model's encoding.")]
    public const string NothingAnalysed = "SG1014";

    /// <summary>A layer's values changed (its fingerprint differs) but every metric is within tolerance; only when the gate is told to fail on it.</summary>
    [GateRule("EquivalentChange", "A layer's values changed (its fingerprint differs) but every metric is within tolerance.",
        "Accept the new baseline if the change is meant; fails only with FailOnEquivalentChange (--fail-on-equivalent-change).")]
    public const string EquivalentChange = "SG1015";

    /// <summary>True for the codes that say the check could not be carried out here, rather than anything about the model or its baseline.</summary>
    public static bool IsEnvironmentFailure(string code) => GateRules.Find(code)?.IsEnvironmentFailure ?? false;

    /// <summary>A warning: the baseline holds a key this release does not know, or a tolerance rule of an unknown metric.</summary>
    [GateRule("BaselineNotUnderstood", "The baseline holds a key this release does not know, or a tolerance rule of an unknown metric.",
        "Fix the typo, or upgrade the tool if a later release wrote the baseline.", IsWarning = true)]
    public const string BaselineNotUnderstood = "SG1016";

    /// <summary>A warning: the run analysed less than half of the model's weight parameters (quantized weights not decoded, tensors of no float type).</summary>
    [GateRule("MinorityAnalysed", "Less than half of the model's weight parameters were analysed (quantized weights not decoded, tensors of no float type).",
        "Gate a checkpoint whose weights are read (docs/model-encodings.md), or narrow the selection to what is.", IsWarning = true)]
    public const string MinorityAnalysed = "SG1017";
}
