namespace SpectralGate.Engine.Baselines;

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
