namespace SpectralGate.Engine.Baselines;

/// <summary>Kinds of difference between a signature and its baseline; each maps to one stable SG diagnostic code.</summary>
public enum FindingKind
{
    /// <summary>A metric moved beyond its tolerance, became undefined, or a health label appeared or went (SG1001).</summary>
    Regression,

    /// <summary>A layer was added, removed or reshaped (SG1002). Always fails, whatever the tolerances.</summary>
    StructuralChange,

    /// <summary>The baseline was computed with other settings, so its numbers are not comparable (SG1007).</summary>
    SettingsChanged,

    /// <summary>A layer's values changed but every metric is within tolerance (SG1015); only when asked for (<see cref="LayerChange.SpectrallyEquivalent"/>).</summary>
    EquivalentChange,
}

/// <summary>One difference, with everything a person needs to judge it without opening a file.</summary>
public sealed record Finding(FindingKind Kind, string Layer, string? Metric, double? Expected, double? Actual, Tolerance? Tolerance, string Message)
{
    /// <summary>|delta| / allowed: how far over tolerance (1 = exactly at the bound); infinite for structural findings and undefined values.</summary>
    public double Excess
    {
        get
        {
            if (Kind != FindingKind.Regression || Expected is not double e || Actual is not double a || Tolerance is not { } t) return double.PositiveInfinity;
            double allowed = t.Allowed(e);
            return allowed == 0 ? double.PositiveInfinity : Math.Abs(a - e) / allowed;
        }
    }

    public double? Delta => Expected is double e && Actual is double a ? a - e : null;

    /// <summary>|actual − expected| / |expected|; null when either is undefined or the baseline value is 0.</summary>
    public double? RelativeChange => Expected is double e && Actual is double a && e != 0 ? Math.Abs(a - e) / Math.Abs(e) : null;
}
