namespace SpectralGate.Engine.Baselines;

/// <summary>
/// A trajectory baseline between two recorded steps: linear in u = ln(step + 1). Training curves move fast early and
/// slowly late, so they are close to straight on a log-step axis (the axis the plots use); the +1 keeps step 0. Never
/// extrapolates: a step outside [first, last] of the baseline has no value here (the comparer makes it a finding).
/// </summary>
public static class LogStepInterpolation
{
    public static double Position(long step) => Math.Log(step + 1.0);

    /// <summary>
    /// The band at <paramref name="step"/> (strictly between <paramref name="before"/> and <paramref name="after"/>):
    /// low, high and mean each interpolated. Null when the metric is defined on one side only: there is nothing to
    /// interpolate, and guessing would be a silent pass or a false failure.
    /// </summary>
    public static BandPoint? Between(BandPoint before, BandPoint after, long step)
    {
        if (step <= before.Step || step >= after.Step) throw new ArgumentOutOfRangeException(nameof(step), step, $"not strictly between steps {before.Step} and {after.Step}.");
        int undefined = Math.Max(before.Undefined, after.Undefined);
        if (before.Mean is null && after.Mean is null) return new BandPoint(step, null, null, null, undefined);
        if (before.Mean is null || after.Mean is null) return null;
        double u0 = Position(before.Step), u1 = Position(after.Step);
        double w = (Position(step) - u0) / (u1 - u0);
        return new BandPoint(step, Lerp(before.Low!.Value, after.Low!.Value, w), Lerp(before.High!.Value, after.High!.Value, w), Lerp(before.Mean.Value, after.Mean.Value, w), undefined);
    }

    private static double Lerp(double a, double b, double w) => a + (b - a) * w;
}
