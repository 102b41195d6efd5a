using SpectralAssert.Assertions;
using SpectralGate.Engine.Trajectories.Statistics;
using static SpectralAssert.Assertions.MetricAssertion;

namespace SpectralAssert.Trajectories;

/// <summary>A milestone waiting for its step: <c>.ReachesAtMost(4).By(step: 1000)</c>.</summary>
public sealed class MilestoneAssertion
{
    private readonly TrajectoryMetric _metric;
    private readonly ValueBound _bound;

    internal MilestoneAssertion(TrajectoryMetric metric, ValueBound bound)
    {
        _metric = metric;
        _bound = bound;
    }

    /// <summary>The first record that reaches the bound is at or before <paramref name="step"/>.</summary>
    public TrajectoryConstraint By(long step) => _metric.Build($"to reach {_bound} by step {step}", c =>
    {
        if (Milestone.FirstReached(c.Series, _bound) is { } first)
            return new LayerVerdict(first.Step <= step, first.Step <= step
                ? $"{c.Metric} first {_bound} at step {first.Step} ({N(first.Value!.Value)})"
                : $"{c.Metric} first {_bound} at step {first.Step} ({N(first.Value!.Value)}), after step {step}");
        int closest = Enumerable.Range(0, c.Series.Count).MinBy(i => Math.Abs(c.Series.Values[i] - (_bound.Upper ?? _bound.Lower!.Value)));
        return new LayerVerdict(false, $"{c.Metric} never {_bound} over {c.Series.Count} records up to step {c.Series.Steps[^1]} "
            + $"(closest {N(c.Series.Values[closest])} at step {c.Series.Steps[closest]})");
    }, windowed: false);
}
