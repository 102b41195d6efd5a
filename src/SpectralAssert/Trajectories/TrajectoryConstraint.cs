using NUnit.Framework.Constraints;
using SpectralAssert.Assertions;
using SpectralGate.Engine.Trajectories;
using SpectralGate.Engine.Trajectories.Statistics;

namespace SpectralAssert.Trajectories;

/// <summary>
/// The NUnit constraint behind <c>Training.Layers(...)...</c>: takes the trajectory, picks the series (each selected
/// layer, an aggregate, or a scalar) and applies one check to each. An empty selection fails: it is a typo, not a vacuous pass.
/// </summary>
public sealed class TrajectoryConstraint : Constraint
{
    private readonly TrajectorySeries _series;
    private readonly SeriesCheck _check;
    private readonly long? _fromStep;

    internal TrajectoryConstraint(TrajectorySeries series, SeriesCheck check, long? fromStep = null)
    {
        _series = series;
        _check = check;
        _fromStep = fromStep;
        Description = $"{series.Describe()} {check.Expectation}" + (fromStep is long s ? $" from step {s} on" : "");
    }

    public override string Description { get; }

    /// <summary>Judges only the records from <paramref name="step"/> on (inclusive): after warm-up.</summary>
    public TrajectoryConstraint After(long step) =>
        _check.Windowed ? new(_series, _check, step) : throw new InvalidOperationException($"'{_check.Expectation}' already names its step; .After does not apply.");

    public override ConstraintResult ApplyTo<TActual>(TActual actual)
    {
        Trajectory trajectory = TrajectoryInputs.Resolve(actual);
        string input = TrajectoryInputs.Describe(actual, trajectory);
        var rows = _series.Rows(trajectory, _check.Scale);
        if (rows.Count == 0)
        {
            string available = _series.IsScalar
                ? string.Join(", ", trajectory.Records.SelectMany(r => r.Scalars.Keys).Distinct().Order(StringComparer.Ordinal))
                : string.Join(", ", trajectory.LayerNames().Take(12)) + (trajectory.LayerNames().Count > 12 ? ", ..." : "");
            string what = _series.IsScalar ? "the scalar was never recorded. Recorded scalars" : "no layer is selected. The trajectory's layers";
            return new SpectralConstraintResult(this, actual, false, $"Expected {Description} of {input},\nbut {what}: {(available.Length == 0 ? "none" : available)}\n");
        }

        var verdicts = rows.Select(row => (Row: row, Verdict: Judge(trajectory, row))).ToList();
        var failed = verdicts.Where(v => !v.Verdict.Passed).ToList();
        if (failed.Count == 0)
            return new SpectralConstraintResult(this, actual, true, $"{rows.Count} series pass: {Description}\n"
                + SpectralConstraintResult.Lines(verdicts.Select(v => $"{v.Row.Name}  {v.Verdict.Observed}")));

        int width = failed.Max(f => f.Row.Name.Length);
        string message = $"Expected {Description} of {input},\n"
            + (rows.Count == 1 ? "but it fails:\n" : $"but {failed.Count} of {rows.Count} series fail ({rows.Count - failed.Count} pass):\n")
            + SpectralConstraintResult.Lines(failed.Select(f => $"{f.Row.Name.PadRight(width)}  {f.Verdict.Observed}"));
        return new SpectralConstraintResult(this, actual, false, message);
    }

    private LayerVerdict Judge(Trajectory trajectory, SeriesRow row)
    {
        var all = DefinedSeries.Of(row.Points);
        var series = _fromStep is long s ? all.From(s) : all;
        string metric = _series.Metric;
        if (series.Count == 0)
        {
            string where = _fromStep is long from ? $" from step {from} on" : "";
            return new LayerVerdict(false, series.UndefinedSteps.Count > 0
                ? $"{metric} undefined at every record{where} ({series.UndefinedSteps.Count} records)"
                : $"{metric} has no records{where}");
        }
        var verdict = _check.Apply(new SeriesContext(trajectory, row, series, metric));
        return series.UndefinedSteps.Count == 0 ? verdict
            : verdict with { Observed = $"{verdict.Observed}; {series.UndefinedSteps.Count} records with {metric} undefined left out (first at step {series.UndefinedSteps[0]})" };
    }
}
