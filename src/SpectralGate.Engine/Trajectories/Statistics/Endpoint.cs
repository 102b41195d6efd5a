namespace SpectralGate.Engine.Trajectories.Statistics;

/// <summary>
/// Where a series ends: the median of its last n records (n = 1: the final value). The median keeps one noisy last
/// checkpoint from deciding alone (the practice of HF transformers' training test, which compares first and last losses).
/// </summary>
public static class Endpoint
{
    public static EndpointValue Of(DefinedSeries series, int lastRecords = TrajectoryStatisticsDefaults.EndpointRecords)
    {
        ArgumentNullException.ThrowIfNull(series);
        if (lastRecords < 1) throw new ArgumentOutOfRangeException(nameof(lastRecords), lastRecords, "at least the last record.");
        if (series.Count == 0) throw new ArgumentException("a series without defined values has no endpoint.", nameof(series));
        int count = Math.Min(lastRecords, series.Count);
        int start = series.Count - count;
        double value = RobustStatistics.Median(series.Values.Skip(start).ToArray());
        return new EndpointValue(value, series.Steps[start], series.Steps[^1], count);
    }
}

/// <summary>The endpoint and the records it was taken over (steps <paramref name="FromStep"/>..<paramref name="ToStep"/>).</summary>
public readonly record struct EndpointValue(double Value, long FromStep, long ToStep, int Records);
