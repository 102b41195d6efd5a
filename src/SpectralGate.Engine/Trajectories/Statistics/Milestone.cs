namespace SpectralGate.Engine.Trajectories.Statistics;

/// <summary>
/// A milestone: the first recorded step at which the value reaches a bound (stable-pretraining's <c>EpochMilestones</c>;
/// modded-nanogpt's "first-passing step"). The true crossing lies between that record and the one before it.
/// </summary>
public static class Milestone
{
    /// <summary>The first record whose value <paramref name="bound"/> accepts; null when the series never gets there.</summary>
    public static TrajectoryPoint? FirstReached(DefinedSeries series, ValueBound bound)
    {
        ArgumentNullException.ThrowIfNull(series);
        for (int i = 0; i < series.Count; i++)
            if (bound.Accepts(series.Values[i])) return new TrajectoryPoint(series.Steps[i], series.Values[i]);
        return null;
    }
}
