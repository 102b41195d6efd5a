namespace SpectralGate.Engine.Trajectories.Statistics;

/// <summary>How the layers' values at one step become one value, when an assertion asks for an aggregate.</summary>
public enum LayerAggregate
{
    Mean,
    Median,
}

/// <summary>
/// The series of an aggregate over layers: at each step, the mean or median of the layers defined there. Aggregates hide
/// which layer moved (WeightWatcher #307's "average alpha" confusion), so assertions use them only when asked.
/// </summary>
public static class LayerAggregates
{
    public static IReadOnlyList<TrajectoryPoint> Series(Trajectory trajectory, IReadOnlyList<string> layers, string metric, LayerAggregate aggregate, string? tier = null)
    {
        ArgumentNullException.ThrowIfNull(trajectory);
        var points = new List<TrajectoryPoint>();
        foreach (TrajectoryRecord record in trajectory.Records)
        {
            if (tier is not null && record.Tier != tier) continue;
            var values = layers.Select(record.Layer).Where(l => l is not null && l.Metrics.ContainsKey(metric))
                .Select(l => l![metric]).ToList();
            if (values.Count == 0) continue;
            var defined = values.OfType<double>().ToArray();
            double? value = defined.Length == 0 ? null : aggregate == LayerAggregate.Mean ? defined.Average() : RobustStatistics.Median(defined);
            points.Add(new TrajectoryPoint(record.Step, value));
        }
        return points;
    }

    public static string Describe(LayerAggregate aggregate) => aggregate == LayerAggregate.Mean ? "mean" : "median";
}
