using SpectralGate.Engine.Signatures;

namespace SpectralGate.Engine.Baselines;

/// <summary>
/// For a setting that differs from the baseline's, the option that computes as the baseline did, so an upgrade that
/// changed a default (issue 15: <c>alpha_farms</c> opt-in, the median Marchenko–Pastur fit) says how to keep the old
/// baseline instead of only that it no longer compares. Null where no single option restores it. Each option's
/// <see cref="ComputationOption.Restore"/> says which value does.
/// </summary>
public static class SettingRestoreHint
{
    /// <param name="key">The settings key (<c>farms</c>, <c>mp_estimator</c>, ...).</param>
    /// <param name="baselineValue">The baseline's value, or null where the baseline has no such key.</param>
    public static string? For(string key, string? baselineValue) => ComputationOptions.ByKey(key)?.RestoreHint(baselineValue);
}
