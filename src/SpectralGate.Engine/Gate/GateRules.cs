namespace SpectralGate.Engine.Gate;

/// <summary>The rule metadata of every gate code (docs/gate.md has the same table).</summary>
public static class GateRules
{
    public static IReadOnlyList<GateRule> All { get; } =
    [
        new(GateCodes.Regression, "SpectralRegression", "A metric moved beyond tolerance, became undefined, or the layer became non-finite or degenerate.", "Accept with dotnet build -p:SpectralGateAccept=true, or widen the tolerance.", true),
        new(GateCodes.StructuralChange, "StructuralChange", "A layer was added, removed or reshaped.", "Accept the new structure.", true),
        new(GateCodes.MissingBaseline, "MissingBaseline", "The model has no baseline yet.", "Accept to create it, and commit it.", true),
        new(GateCodes.UnreadableModel, "UnreadableModel", "The model file is not found, truncated, corrupt or in an unknown format.", "Fix the path of the SpectralModel item or the file.", true),
        new(GateCodes.UnreadableBaseline, "UnreadableBaseline", "The baseline file cannot be read.", "Accept to replace it, or restore it from source control.", true),
        new(GateCodes.StaleBaseline, "StaleBaseline", "A baseline that no SpectralModel item uses any more: its model was removed from the project.", "Delete the baseline, or add the item back.", true),
        new(GateCodes.SettingsChanged, "SettingsChanged", "The baseline was computed with other settings (precision, selection, ...).", "Accept with the new settings.", true),
        new(GateCodes.ToolFailure, "ToolFailure", "The spectralgate tool is missing, failed to start, crashed, or cannot load libtorch on this machine.", "dotnet new tool-manifest; dotnet tool install SpectralGate.Cli (or dotnet tool restore).", true),
        new(GateCodes.OutOfMemory, "OutOfMemory", "A layer's spectrum did not fit in memory.", "Use a bigger machine, float32 precision or sketched spectra (docs/scale.md).", true),
        new(GateCodes.EigensolverFailure, "EigensolverFailure", "The eigensolver failed on a layer even after its fallbacks.", "Report it with the model.", true),
        new(GateCodes.DeviceUnavailable, "DeviceUnavailable", "The device asked for is not available to the tool.", "Run a CLI with a CUDA runtime (docs/gpu-and-linux.md), or use the cpu device.", true),
        new(GateCodes.BaselineCollision, "BaselineCollision", "Two SpectralModel items resolve to the same baseline.", "Give each item its own Baseline metadata.", true),
        new(GateCodes.AcceptRefusedOnCi, "AcceptRefusedOnCi", "Accepting baselines was asked for on a CI machine.", "Accept locally and commit, or force it with -p:SpectralGateForceAccept=true.", true),
        new(GateCodes.NothingAnalysed, "NothingAnalysed", "No layer of the model was analysed, or an include glob matches no tensor.", "Fix the selection (IncludeTensors, ExcludeTensors) or the model's encoding.", true),
        new(GateCodes.BaselineNotUnderstood, "BaselineNotUnderstood", "The baseline holds a key this release does not know, or a tolerance rule of an unknown metric.", "Fix the typo, or upgrade the tool if a later release wrote the baseline.", false),
        new(GateCodes.MinorityAnalysed, "MinorityAnalysed", "Less than half of the model's weight parameters were analysed (quantized weights not decoded, tensors of no float type).", "Gate a checkpoint whose weights are read (docs/model-encodings.md), or narrow the selection to what is.", false),
    ];
}
