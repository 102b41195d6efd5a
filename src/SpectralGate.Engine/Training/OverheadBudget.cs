namespace SpectralGate.Engine.Training;

/// <summary>
/// The monitor's bookkeeping of its own cost against the training's wall time. Work of a tier is allowed when the time
/// spent so far plus that tier's last measured cost stays within <see cref="Fraction"/> of the horizon: the wall time
/// since the first record, or, when the run's length is known, the projected wall time of the whole run (so the early,
/// log-spaced records may spend what the later ones will not). A tier not yet measured is judged on its estimate
/// (<see cref="SetEstimate"/>), or, without one, runs once to learn its cost. Times are passed in, so the rules are
/// tested on an injected clock.
/// </summary>
public sealed class OverheadBudget
{
    private readonly Dictionary<string, TimeSpan> _lastCost = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Queue<TimeSpan>> _recentCosts = new(StringComparer.Ordinal);
    private readonly Dictionary<string, TimeSpan> _estimates = new(StringComparer.Ordinal);
    private TimeSpan? _start;
    private long _firstStep;

    /// <param name="fraction">The share of wall time the monitor may take, e.g. 0.01; ≥ 1 disables the budget.</param>
    /// <param name="totalSteps">The run's last step when known (projects the horizon), else null.</param>
    public OverheadBudget(double fraction, long? totalSteps = null)
    {
        if (!(fraction > 0)) throw new ArgumentOutOfRangeException(nameof(fraction), fraction, "the overhead budget is a fraction of wall time above 0 (0.01 = 1 %).");
        Fraction = fraction;
        TotalSteps = totalSteps;
    }

    public double Fraction { get; }

    public long? TotalSteps { get; }

    /// <summary>Everything the monitor has spent (its own calls, and the worker's time when there is one).</summary>
    public TimeSpan Spent { get; private set; }

    /// <summary>Wall time from the first record to the last time seen.</summary>
    public TimeSpan Elapsed { get; private set; }

    /// <summary>Spent over elapsed wall time; 0 before any time has passed.</summary>
    public double OverheadFraction => Elapsed > TimeSpan.Zero ? Spent / Elapsed : 0;

    /// <summary>Starts the clock at the first record.</summary>
    public void Start(TimeSpan now, long step)
    {
        if (_start is not null) return;
        _start = now;
        _firstStep = step;
    }

    /// <summary>What the tier is expected to cost: the largest of its last three measured costs, or null before its first run.</summary>
    public TimeSpan? LastCost(string tier) => _lastCost.TryGetValue(tier, out var cost) ? cost : null;

    /// <summary>
    /// Whether the tiers already granted at this step (<paramref name="grantedCost"/>) plus <paramref name="tier"/> fit the
    /// budget at <paramref name="now"/>, step <paramref name="step"/>.
    /// </summary>
    public bool Allows(string tier, TimeSpan now, long step, TimeSpan grantedCost)
    {
        if (Fraction >= 1) return true;
        if ((LastCost(tier) ?? Estimate(tier)) is not { } cost) return true;
        return Spent + grantedCost + cost <= Fraction * Horizon(now, step);
    }

    /// <summary>
    /// States what a tier not yet run is expected to cost (the full signature, from the layer shapes and the cheap tier's
    /// measured speed), so its first run is judged like the others instead of running blind. Its first measurement replaces it.
    /// </summary>
    public void SetEstimate(string tier, TimeSpan estimate) => _estimates[tier] = estimate;

    /// <summary>The estimate of a tier not yet measured, or null.</summary>
    public TimeSpan? Estimate(string tier) => _estimates.TryGetValue(tier, out var estimate) ? estimate : null;

    /// <summary>The wall time the budget is a fraction of: elapsed, or the whole run's projection when its length is known.</summary>
    public TimeSpan Horizon(TimeSpan now, long step)
    {
        TimeSpan elapsed = now - (_start ?? now);
        Elapsed = elapsed;
        if (TotalSteps is not { } total || step <= _firstStep || total <= step) return elapsed;
        // Training time per step, the monitor's own time taken out, projected over the remaining steps.
        TimeSpan training = elapsed - Spent;
        if (training <= TimeSpan.Zero) return elapsed;
        return elapsed + training / (step - _firstStep) * (total - step);
    }

    /// <summary>Adds work done (by <paramref name="tier"/>, or null for untiered costs such as waiting on a full queue).</summary>
    /// <param name="tier">The tier whose work this was, or null for untiered costs.</param>
    /// <param name="cost">Wall time taken.</param>
    /// <param name="estimate">What the tier will cost next time, when more than <paramref name="cost"/> (work charged apart, like the weight copy).</param>
    public void Charge(string? tier, TimeSpan cost, TimeSpan? estimate = null)
    {
        Spent += cost;
        if (tier is null) return;
        // The largest of the last three: on a shared machine one record's time varies, and the budget must not be
        // overrun by expecting the fastest of them.
        if (!_recentCosts.TryGetValue(tier, out var recent)) _recentCosts[tier] = recent = new Queue<TimeSpan>();
        recent.Enqueue(estimate ?? cost);
        if (recent.Count > 3) recent.Dequeue();
        _lastCost[tier] = recent.Max();
    }

    /// <summary>Notes the wall clock without charging (keeps <see cref="Elapsed"/> current).</summary>
    public void See(TimeSpan now)
    {
        if (_start is { } start) Elapsed = now - start;
    }
}
