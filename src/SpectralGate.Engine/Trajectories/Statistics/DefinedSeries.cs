namespace SpectralGate.Engine.Trajectories.Statistics;

/// <summary>
/// A series ready for the statistics: ascending distinct steps and finite values. The statistics refuse anything else
/// rather than guess (an unsorted series has no "next record"; a NaN has no rank).
/// </summary>
public sealed class DefinedSeries
{
    private DefinedSeries(long[] steps, double[] values, IReadOnlyList<long> undefinedSteps)
    {
        Steps = steps;
        Values = values;
        UndefinedSteps = undefinedSteps;
    }

    public IReadOnlyList<long> Steps { get; }

    public IReadOnlyList<double> Values { get; }

    /// <summary>Steps whose value was null (metric undefined there) and were left out; a message says how many.</summary>
    public IReadOnlyList<long> UndefinedSteps { get; }

    public int Count => Steps.Count;

    /// <summary>Keeps the defined points; refuses unsorted or repeated steps and non-finite values, naming the step.</summary>
    public static DefinedSeries Of(IReadOnlyList<TrajectoryPoint> points)
    {
        ArgumentNullException.ThrowIfNull(points);
        var steps = new List<long>(points.Count);
        var values = new List<double>(points.Count);
        var undefined = new List<long>();
        long? previous = null;
        foreach (TrajectoryPoint p in points)
        {
            if (previous is long s && p.Step <= s)
                throw new ArgumentException($"series steps must ascend strictly, but step {p.Step} follows step {s}.", nameof(points));
            previous = p.Step;
            if (p.Value is not double v) { undefined.Add(p.Step); continue; }
            if (!double.IsFinite(v)) throw new ArgumentException($"series value at step {p.Step} is {v}, not a finite number.", nameof(points));
            steps.Add(p.Step);
            values.Add(v);
        }
        return new DefinedSeries(steps.ToArray(), values.ToArray(), undefined);
    }

    /// <summary>The points from <paramref name="step"/> on (inclusive).</summary>
    public DefinedSeries From(long step)
    {
        int start = 0;
        while (start < Count && Steps[start] < step) start++;
        return new DefinedSeries(Steps.Skip(start).ToArray(), Values.Skip(start).ToArray(), UndefinedSteps.Where(s => s >= step).ToList());
    }
}
