using SpectralAssert.Assertions;
using SpectralGate.Engine.Signatures;
using SpectralGate.Engine.Trajectories.Statistics;
using static SpectralAssert.Assertions.MetricAssertion;

namespace SpectralAssert.Trajectories;

/// <summary>One series per selected layer (or an aggregate, or a scalar), waiting for the shape to assert on.</summary>
public sealed class TrajectoryMetric
{
    private readonly TrajectorySeries _series;

    internal TrajectoryMetric(TrajectorySeries series) => _series = series;

    /// <summary>Judges the mean over the selected layers at each step instead of each layer; the message says so.</summary>
    public TrajectoryMetric Mean() => new(_series.Aggregated(LayerAggregate.Mean));

    /// <summary>Judges the median over the selected layers at each step instead of each layer; the message says so.</summary>
    public TrajectoryMetric Median() => new(_series.Aggregated(LayerAggregate.Median));

    /// <summary>
    /// The endpoint lies in [lower, upper]: the final value, or the median of the last <paramref name="lastRecords"/>
    /// records so that one noisy checkpoint does not decide alone.
    /// </summary>
    public TrajectoryConstraint EndsWithin(double lower, double upper, int lastRecords = TrajectoryStatisticsDefaults.EndpointRecords)
    {
        var bound = ValueBound.Between(lower, upper);
        if (lastRecords < 1) throw new ArgumentOutOfRangeException(nameof(lastRecords), lastRecords, "at least the last record.");
        string which = lastRecords == 1 ? "final value" : $"median of the last {lastRecords} records";
        return Build($"to end {bound} ({which})", c =>
        {
            EndpointValue end = Endpoint.Of(c.Series, lastRecords);
            string seen = end.Records == 1 ? $"final value {N(end.Value)} at step {end.ToStep}"
                : $"median of the last {end.Records} records (steps {end.FromStep}..{end.ToStep}) = {N(end.Value)}";
            return new LayerVerdict(bound.Accepts(end.Value), $"{c.Metric}: {seen}  (expected {bound})");
        });
    }

    /// <summary>Every record (from <c>.After(step)</c> on) is ≥ <paramref name="lower"/>: no collapse after warm-up.</summary>
    public TrajectoryConstraint NeverBelow(double lower) => Stays(ValueBound.AtLeast(lower), $"never below {N(lower)}");

    /// <summary>Every record (from <c>.After(step)</c> on) is ≤ <paramref name="upper"/>.</summary>
    public TrajectoryConstraint NeverAbove(double upper) => Stays(ValueBound.AtMost(upper), $"never above {N(upper)}");

    /// <summary>Every record (from <c>.After(step)</c> on) lies in [lower, upper].</summary>
    public TrajectoryConstraint StaysWithin(double lower, double upper) => Stays(ValueBound.Between(lower, upper), $"to stay in [{N(lower)}, {N(upper)}]");

    /// <summary>A milestone: the value is ≤ <paramref name="upper"/> at some record; finish with <c>.By(step)</c>.</summary>
    public MilestoneAssertion ReachesAtMost(double upper) => new(this, ValueBound.AtMost(upper));

    /// <summary>A milestone: the value is ≥ <paramref name="lower"/> at some record; finish with <c>.By(step)</c>.</summary>
    public MilestoneAssertion ReachesAtLeast(double lower) => new(this, ValueBound.AtLeast(lower));

    /// <summary>
    /// No sudden jump between consecutive records: no change further than max(k·1.4826·MAD of the changes, floor) from
    /// the median change. A jump of alpha (or another power-law-fit metric) whose layer ESD did not move is the fit's own
    /// (WeightWatcher PR #99) and is set apart, not failed.
    /// </summary>
    public TrajectoryConstraint HasNoJumps(double k = TrajectoryStatisticsDefaults.JumpK, double relativeFloor = TrajectoryStatisticsDefaults.JumpRelativeFloor,
        double absoluteFloor = 0, double esdFloor = TrajectoryStatisticsDefaults.JumpEsdFloor)
    {
        var options = new JumpOptions { K = k, RelativeFloor = relativeFloor, AbsoluteFloor = absoluteFloor, EsdFloor = esdFloor };
        return Build($"to have no jump (k = {N(k)}, floor {N(relativeFloor * 100)}% of the median |value|{(absoluteFloor > 0 ? $" and ≥ {N(absoluteFloor)}" : "")})",
            c => JumpVerdict(c, options));
    }

    /// <summary>
    /// A monotone trend by the one-sided Mann–Kendall test at <paramref name="significance"/>, with the Theil–Sen slope
    /// in the message: never a naive "every step goes down", which real trajectories are not (WeightWatcher #307).
    /// </summary>
    public TrajectoryConstraint Trends(TrendDirection direction, double significance = TrajectoryStatisticsDefaults.TrendSignificance)
    {
        if (!(significance > 0 && significance < 1)) throw new ArgumentOutOfRangeException(nameof(significance), significance, "the significance must lie in (0, 1).");
        string way = direction == TrendDirection.Up ? "up" : "down";
        return Build($"to trend {way} (Mann–Kendall, one-sided p ≤ {N(significance)})", c =>
        {
            MannKendallResult mk = MannKendall.Test(c.Series);
            double p = mk.PValue(direction);
            double? slope = TheilSen.Slope(c.Series);
            bool passed = p <= significance;
            string verdict = passed ? $"trends {way}" : $"no significant trend {way}";
            return new LayerVerdict(passed, $"{c.Metric}: {verdict}: Mann–Kendall S = {mk.S}, Var S = {N(mk.Variance)}, Z = {N(mk.Z)}, "
                + $"one-sided p = {N(p)} {(passed ? "≤" : ">")} {N(significance)} over {mk.Count} records (steps {c.Series.Steps[0]}..{c.Series.Steps[^1]}); "
                + $"Theil–Sen slope {(slope is double s ? N(s) : "undefined")} per step");
        });
    }

    /// <summary>A change point (<see cref="ChangePoints"/>) is found, at a step in [<paramref name="fromStep"/>, <paramref name="toStep"/>].</summary>
    public TrajectoryConstraint HasTransitionBetween(long fromStep, long toStep, ChangePointOptions? options = null)
    {
        if (fromStep > toStep) throw new ArgumentException($"the window [{fromStep}, {toStep}] is empty.", nameof(toStep));
        options ??= new ChangePointOptions();
        return Build($"to have a transition between steps {fromStep} and {toStep} ({Describe(options)})", c =>
        {
            ChangePointResult r = ChangePoints.Find(c.Series, options);
            if (r.NotTested is { } why) return new LayerVerdict(false, $"{c.Metric}: not tested: {why}");
            bool inside = r.Found && r.Step >= fromStep && r.Step <= toStep;
            string verdict = !r.Found ? "no transition" : inside ? "transition" : $"transition outside [{fromStep}, {toStep}]";
            return new LayerVerdict(inside, $"{c.Metric}: {verdict}: {Strength(r)}");
        });
    }

    /// <summary>No change point (<see cref="ChangePoints"/>): neither a significant nor a large enough one. Too few records to test fail.</summary>
    public TrajectoryConstraint HasNoTransition(ChangePointOptions? options = null)
    {
        options ??= new ChangePointOptions();
        return Build($"to have no transition ({Describe(options)})", c =>
        {
            ChangePointResult r = ChangePoints.Find(c.Series, options);
            if (r.NotTested is { } why) return new LayerVerdict(false, $"{c.Metric}: not tested: {why}");
            return new LayerVerdict(!r.Found, $"{c.Metric}: {(r.Found ? "transition" : "no transition")}: {Strength(r)}");
        });
    }

    /// <summary>
    /// The metric over the layer's μP scale √(fan_out/fan_in) (from its shape) lies in [lower, upper] at every record:
    /// the spectral condition for feature learning, for <c>spectral_norm</c> (‖W‖₂) or <c>update_spectral_norm</c> (‖ΔW‖₂).
    /// </summary>
    public TrajectoryConstraint StaysWithinMupBand(double lower, double upper)
    {
        if (_series.IsScalar) throw new InvalidOperationException($"the μP band needs a layer's shape; scalar {_series.Metric} has none.");
        var bound = ValueBound.Between(lower, upper);
        return new TrajectoryConstraint(_series, new SeriesCheck($"/ √(fan_out/fan_in) to stay in [{N(lower)}, {N(upper)}] (μP scale from each layer's shape)", c =>
        {
            string scale = c.Row.Layer is { } name && c.Trajectory.Records.Select(r => r.Layer(name)).FirstOrDefault(l => l is not null) is { } layer
                ? $"; μP scale {N(MupScale.Of(layer.Shape))} from shape [{string.Join(", ", layer.Shape)}]" : "";
            return BoundVerdict(c, bound, $"{c.Metric} / √(fan_out/fan_in)", scale);
        }, Scale: MupScaleOf));
    }

    private static double MupScaleOf(LayerSignature layer) => MupScale.Of(layer.Shape);

    private TrajectoryConstraint Stays(ValueBound bound, string expectation) => Build(expectation, c => BoundVerdict(c, bound, c.Metric, ""));

    private static LayerVerdict BoundVerdict(SeriesContext c, ValueBound bound, string quantity, string suffix)
    {
        if (BoundViolation.First(c.Series, bound) is not { } first)
            return new LayerVerdict(true, $"{quantity} stays {bound} over {c.Series.Count} records (min {N(c.Series.Values.Min())}, max {N(c.Series.Values.Max())}){suffix}");
        int outside = c.Series.Values.Count(v => !bound.Accepts(v));
        return new LayerVerdict(false, $"{quantity} = {N(first.Value!.Value)} at step {first.Step}, the first record outside {bound}; "
            + $"{outside} of {c.Series.Count} records outside (steps {c.Series.Steps[0]}..{c.Series.Steps[^1]}){suffix}");
    }

    private static LayerVerdict JumpVerdict(SeriesContext c, JumpOptions options)
    {
        // An aggregate or a scalar has no ESD of its own: its jumps are never set apart.
        LayerJumpScan scan;
        if (c.Row.Layer is { } layer) scan = EstimatorJumps.Find(c.Trajectory, layer, c.Metric, c.Series, options);
        else
        {
            JumpScan plain = StepJumps.Find(c.Series, options);
            scan = new LayerJumpScan(plain, plain.Jumps, []);
        }
        JumpScan s = scan.Scan;
        string rule = $"|change − median change {N(s.MedianChange)}| > {N(s.Threshold)} = max({N(options.K)} × 1.4826·MAD {N(s.ScaledMad)}, floor {N(s.Floor)})";
        string setApart = scan.EstimatorJumps.Count == 0 ? ""
            : $"; {scan.EstimatorJumps.Count} jumps of the power-law fit on an unchanged ESD set apart (first into step {scan.EstimatorJumps[0].Jump.ToStep}, ESD distance {N(scan.EstimatorJumps[0].EsdDistance)} ≤ {N(options.EsdFloor)})";
        if (scan.Jumps.Count == 0)
            return new LayerVerdict(true, $"{c.Metric}: no jump over {c.Series.Count} records ({rule} nowhere){setApart}");
        StepJump j = scan.Jumps[0];
        string more = scan.Jumps.Count > 1 ? $"; {scan.Jumps.Count - 1} more (into steps {string.Join(", ", scan.Jumps.Skip(1).Take(5).Select(x => x.ToStep))}{(scan.Jumps.Count > 6 ? ", ..." : "")})" : "";
        return new LayerVerdict(false, $"{c.Metric} jumps {(j.Change >= 0 ? "+" : "")}{N(j.Change)} from {N(j.From)} at step {j.FromStep} to {N(j.To)} at step {j.ToStep}: {rule}{more}{setApart}");
    }

    private static string Describe(ChangePointOptions o) =>
        $"{ModelName(o.Model)}, permutation p ≤ {N(o.Significance)}, explaining ≥ {N(o.MinExplained * 100)}%";

    private static string ModelName(ChangePointModel model) => model switch
    {
        ChangePointModel.TwoLines => "two lines against one",
        ChangePointModel.LevelShift => "level shift on a line",
        _ => "mean shift",
    };

    private static string Strength(ChangePointResult r)
    {
        if (r.Index < 0) return $"nothing to explain over {r.Count} records (the no-change model fits them exactly)";
        return $"best change at step {r.Step} (after step {r.PreviousStep}) by {ModelName(r.Model)}: sup-F = {N(r.F)}, permutation p = {N(r.PValue)} "
            + $"({r.Permutations} shuffles; needs ≤ {N(r.Significance)}), explains {N(100 * r.Explained)}% of the no-change residual (needs ≥ {N(100 * r.MinExplained)}%), "
            + $"level change {N(r.LevelChange)}, slope {N(r.SlopeBefore)} -> {N(r.SlopeAfter)} per step, over {r.Count} records"
            + (r.MinRelativeRange > 0 ? $"; the series moved {N(100 * r.RelativeRange)}% of its level (needs ≥ {N(100 * r.MinRelativeRange)}%)" : "");
    }

    internal TrajectoryConstraint Build(string expectation, Func<SeriesContext, LayerVerdict> apply, bool windowed = true) =>
        new(_series, new SeriesCheck(expectation, apply, Windowed: windowed));
}
