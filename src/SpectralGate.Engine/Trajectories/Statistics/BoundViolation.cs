namespace SpectralGate.Engine.Trajectories.Statistics;

/// <summary>
/// "No collapse after warm-up": the first record from step s on whose value leaves a band (RankMe's warm-up collapse is
/// expected, a later one is not: Li et al., NeurIPS 2025; Lightning's <c>divergence_threshold</c> is the same check per step).
/// </summary>
public static class BoundViolation
{
    /// <summary>The first (step, value) outside <paramref name="bound"/> among the records from <paramref name="fromStep"/> on; null when none.</summary>
    public static TrajectoryPoint? First(DefinedSeries series, ValueBound bound, long fromStep = long.MinValue)
    {
        ArgumentNullException.ThrowIfNull(series);
        for (int i = 0; i < series.Count; i++)
            if (series.Steps[i] >= fromStep && !bound.Accepts(series.Values[i]))
                return new TrajectoryPoint(series.Steps[i], series.Values[i]);
        return null;
    }
}
