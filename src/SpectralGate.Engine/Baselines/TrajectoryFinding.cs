using System.Globalization;

namespace SpectralGate.Engine.Baselines;

/// <summary>
/// One difference between a trajectory and its baseline, naming where (tier, layer, metric, step) and what (the
/// baseline's value, the actual one, the band and tolerance that judged it). Kinds as for signatures:
/// <see cref="FindingKind.Regression"/> (SG1001) for a value outside its band; <see cref="FindingKind.StructuralChange"/>
/// (SG1002) for a layer added, removed or reshaped, a baseline step not recorded, a step outside the baseline's range;
/// <see cref="FindingKind.SettingsChanged"/> (SG1007).
/// </summary>
/// <remarks><c>Layer</c> is null for findings about a whole record (a missing step) or the settings; <c>Baseline</c> is the
/// band's mean (a one-seed baseline's value) at the step; <c>Band</c> the baseline's band there (interpolated when
/// <c>Interpolated</c>).</remarks>
public sealed record TrajectoryFinding(
    FindingKind Kind, string Tier, string? Layer, string? Metric, long? Step,
    double? Baseline, double? Actual, BandPoint? Band, Tolerance? Tolerance, bool Interpolated, string Message)
{
    /// <summary>How far outside the band, in tolerances (1 = at the widened edge); infinite for undefined values and non-regressions.</summary>
    public double Excess => Kind == FindingKind.Regression && Actual is double a && Band is { } b && Tolerance is { } t ? b.Excess(a, t) : double.PositiveInfinity;

    /// <summary>The accepted range at the step (band widened by the tolerance), when there is one.</summary>
    public (double Low, double High)? Accepted => Band is { } b && Tolerance is { } t ? b.Accepted(t) : null;

    /// <summary>"layer 'fc1.weight' alpha at step 200" (tier named when not full).</summary>
    public string Where
    {
        get
        {
            string tier = Tier == Trajectories.TrajectoryTiers.Full ? "" : $" ({Tier} tier)";
            string at = Step is long s ? string.Create(CultureInfo.InvariantCulture, $" at step {s}") : "";
            if (Layer is null) return (Step is long st ? string.Create(CultureInfo.InvariantCulture, $"step {st}") : "trajectory") + tier;
            return $"layer '{Layer}'{(Metric is null ? "" : " " + Metric)}{at}{tier}";
        }
    }
}
