namespace SpectralGate.Engine.Trajectories.Statistics;

/// <summary>
/// Sudden jumps between consecutive records: a change d_i = x_i − x_{i−1} whose distance from the median change exceeds
/// max(k·1.4826·MAD(d), floor), floor = max(absolute floor, relative floor·median|x|) (a Hampel filter on the changes,
/// Hampel 1974; Pearson 2002). The floor keeps an almost constant series quiet: there the MAD is the estimator's
/// jitter and would call its next flicker a jump (WeightWatcher PR #99: alpha's xmin "jumps" while the model does not change).
/// </summary>
public static class StepJumps
{
    public static JumpScan Find(DefinedSeries series, JumpOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(series);
        options ??= new JumpOptions();
        options.Validate();
        int n = series.Count;
        if (n < 2) return new JumpScan(0, 0, 0, 0, []);

        var changes = new double[n - 1];
        for (int i = 1; i < n; i++) changes[i - 1] = series.Values[i] - series.Values[i - 1];
        double centre = RobustStatistics.Median(changes);
        double scale = RobustStatistics.ScaledMad(changes);
        double level = RobustStatistics.Median(series.Values.Select(Math.Abs).ToArray());
        double floor = Math.Max(options.AbsoluteFloor, options.RelativeFloor * level);
        double threshold = Math.Max(options.K * scale, floor);

        var jumps = new List<StepJump>();
        for (int i = 1; i < n; i++)
        {
            double deviation = changes[i - 1] - centre;
            if (Math.Abs(deviation) > threshold)
                jumps.Add(new StepJump(series.Steps[i - 1], series.Steps[i], series.Values[i - 1], series.Values[i], changes[i - 1]));
        }
        return new JumpScan(centre, scale, floor, threshold, jumps);
    }
}

/// <summary>The jump detector's settings; defaults in <see cref="TrajectoryStatisticsDefaults"/>.</summary>
public sealed record JumpOptions
{
    /// <summary>How many robust standard deviations of the changes make a jump.</summary>
    public double K { get; init; } = TrajectoryStatisticsDefaults.JumpK;

    /// <summary>No change smaller than this fraction of the series' median |value| is a jump.</summary>
    public double RelativeFloor { get; init; } = TrajectoryStatisticsDefaults.JumpRelativeFloor;

    /// <summary>No change smaller than this (metric units) is a jump; for series that sit near zero.</summary>
    public double AbsoluteFloor { get; init; }

    /// <summary>
    /// A jump of a power-law-fit metric counts only when the layer's ESD moved more than this (KS distance of the
    /// records' <c>esd_quantiles</c>) between the two records (<see cref="EstimatorJumps"/>).
    /// </summary>
    public double EsdFloor { get; init; } = TrajectoryStatisticsDefaults.JumpEsdFloor;

    internal void Validate()
    {
        if (!(K > 0) || !double.IsFinite(K)) throw new ArgumentOutOfRangeException(nameof(K), K, "k must be a positive number.");
        if (!(RelativeFloor >= 0) || !double.IsFinite(RelativeFloor)) throw new ArgumentOutOfRangeException(nameof(RelativeFloor), RelativeFloor, "the relative floor must be ≥ 0.");
        if (!(AbsoluteFloor >= 0) || !double.IsFinite(AbsoluteFloor)) throw new ArgumentOutOfRangeException(nameof(AbsoluteFloor), AbsoluteFloor, "the absolute floor must be ≥ 0.");
        if (!(EsdFloor >= 0 && EsdFloor <= 1)) throw new ArgumentOutOfRangeException(nameof(EsdFloor), EsdFloor, "the ESD floor is a KS distance in [0, 1].");
    }
}

/// <summary>One jump: the change between the records at <paramref name="FromStep"/> and <paramref name="ToStep"/>.</summary>
public readonly record struct StepJump(long FromStep, long ToStep, double From, double To, double Change);

/// <summary>
/// What the detector saw: the median change, 1.4826·MAD of the changes, the floor and the threshold it applied to
/// |change − median change|, and the jumps in step order.
/// </summary>
public sealed record JumpScan(double MedianChange, double ScaledMad, double Floor, double Threshold, IReadOnlyList<StepJump> Jumps);
