namespace SpectralGate.Engine.Baselines;

/// <summary>
/// For a setting that differs from the baseline's, the option that computes as the baseline did, so an upgrade that
/// changed a default (issue 15: <c>alpha_farms</c> opt-in, the median Marchenko–Pastur fit) says how to keep the old
/// baseline instead of only that it no longer compares. Null where no single option restores it.
/// </summary>
public static class SettingRestoreHint
{
    /// <param name="key">The settings key (<c>farms</c>, <c>mp_estimator</c>, ...).</param>
    /// <param name="baselineValue">The baseline's value, or null where the baseline has no such key.</param>
    public static string? For(string key, string? baselineValue) => (key, baselineValue) switch
    {
        ("farms", "off") => "omit --farms (MSBuild: Farms=\"false\")",
        ("farms", not null) => "pass --farms (MSBuild: Farms=\"true\")",
        ("mp_estimator", "bulk_median") => "pass --mp-fit median (MSBuild: MpFit=\"median\")",
        ("mp_estimator", "bulk_trimmed_mean") => "pass --mp-fit trimmed-mean (MSBuild: MpFit=\"trimmed-mean\")",
        ("mp_estimator", "weightwatcher_fit") => "pass --mp-fit weightwatcher (MSBuild: MpFit=\"weightwatcher\")",
        ("conv_normalisation", "weightwatcher") => "pass --conv-norm weightwatcher (MSBuild: ConvNorm=\"weightwatcher\")",
        ("conv_normalisation", null) => "pass --conv-norm none (MSBuild: ConvNorm=\"none\")",
        ("precision", "float32") => "pass --dtype float32 (MSBuild: Precision=\"float32\")",
        ("precision", "float64") => "pass --dtype float64 (MSBuild: Precision=\"float64\")",
        ("sketch", not null) => "pass --sketch (MSBuild: Sketch=\"true\")",
        ("sketch", null) => "omit --sketch (MSBuild: Sketch=\"false\")",
        _ => null,
    };
}
