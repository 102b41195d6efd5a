using SpectralGate.Engine.Signatures;

namespace SpectralGate.Engine.Deltas;

/// <summary>Everything that decides how a delta signature (what a fine-tune changed) is computed: the shared <see cref="ComputeOptions"/> and k.</summary>
public sealed record DeltaOptions : ComputeOptions
{
    public DeltaOptions()
    {
    }

    /// <summary>The shared part of other options (a signature's, as the CLI binds them), so no shared option is forgotten.</summary>
    public DeltaOptions(ComputeOptions shared) : base(shared)
    {
    }

    /// <summary>k of the top-k singular subspaces whose principal angles are reported (capped at the smaller side).</summary>
    public int SubspaceRank { get; init; } = 8;

    internal override OptionScope Result => OptionScope.Deltas;

    internal override string? OwnSetting(string key) =>
        key == ComputationOptions.SubspaceRank.SettingsKey ? SubspaceRank.ToString(System.Globalization.CultureInfo.InvariantCulture) : null;
}
