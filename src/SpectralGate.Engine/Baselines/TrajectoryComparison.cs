using System.Globalization;
using SpectralGate.Engine.Names;
using SpectralGate.Engine.Trajectories;

namespace SpectralGate.Engine.Baselines;

/// <summary>
/// The outcome of comparing a trajectory with its baseline: the findings, what was compared, what was not (notes), and
/// for plots the accepted band of every series and the points where the comparison fired.
/// </summary>
public sealed class TrajectoryComparison
{
    public TrajectoryComparison(TrajectoryBaseline baseline, TolerancePolicy policy, IEnumerable<TrajectoryFinding> findings, int pointsCompared, int stepsCompared, IReadOnlyList<string> notes)
    {
        Baseline = baseline;
        Policy = policy;
        Findings = findings
            .OrderBy(f => f.Kind == FindingKind.Regression ? 1 : 0)
            .ThenBy(f => f.Tier, StringComparer.Ordinal)
            .ThenBy(f => f.Layer ?? "", NaturalNameComparer.Instance)
            .ThenBy(f => f.Metric ?? "", StringComparer.Ordinal)
            .ThenBy(f => f.Step ?? -1)
            .ToList();
        PointsCompared = pointsCompared;
        StepsCompared = stepsCompared;
        Notes = notes;
    }

    public TrajectoryBaseline Baseline { get; }

    public TolerancePolicy Policy { get; }

    /// <summary>Settings and structural findings first, then regressions by tier, layer (natural order), metric and step.</summary>
    public IReadOnlyList<TrajectoryFinding> Findings { get; }

    /// <summary>(layer, metric, step) values judged against a band.</summary>
    public int PointsCompared { get; }

    /// <summary>Records of the run that were compared (per tier).</summary>
    public int StepsCompared { get; }

    /// <summary>What was not compared, and why: information, never a failure.</summary>
    public IReadOnlyList<string> Notes { get; }

    public bool IsMatch => Findings.Count == 0;

    /// <summary>The regressions grouped per series (tier, layer, metric), in the order of <see cref="Findings"/>: a run that drifts fails once per series, naming its first step.</summary>
    public IReadOnlyList<TrajectorySeriesFindings> RegressionsBySeries =>
        Findings.Where(f => f.Kind == FindingKind.Regression)
            .GroupBy(f => new BandKey(f.Tier, f.Layer!, f.Metric!))
            .Select(g => new TrajectorySeriesFindings(g.Key, g.ToList()))
            .ToList();

    /// <summary>"2 of 3 series moved outside their band at 14 of 120 points; first: alpha on 'fc1.weight' at step 200".</summary>
    public string Summary
    {
        get
        {
            var series = RegressionsBySeries;
            int total = Baseline.Bands.Count;
            string line = string.Create(CultureInfo.InvariantCulture,
                $"{series.Count} of {total} series moved outside their band at {series.Sum(s => s.Findings.Count)} of {PointsCompared} points compared over {StepsCompared} steps");
            int other = Findings.Count(f => f.Kind != FindingKind.Regression);
            if (other > 0) line += string.Create(CultureInfo.InvariantCulture, $"; {other} structural or settings findings");
            return line;
        }
    }

    /// <summary>
    /// The accepted band of a series at every baseline step (the band widened by its tolerance): what a plot draws behind
    /// the run's curve. Empty when the baseline has no such series; steps where the metric is undefined are left out.
    /// </summary>
    public IReadOnlyList<TrajectoryBandPoint> Band(string layer, string metric, string tier = TrajectoryTiers.Full)
    {
        var series = Baseline.Series(layer, metric, tier);
        if (series is null) return [];
        Tolerance tolerance = Policy.Resolve(layer, metric);
        return series.Select(p => (p.Step, Range: p.Accepted(tolerance))).Where(p => p.Range is not null)
            .Select(p => new TrajectoryBandPoint(p.Step, p.Range!.Value.Low, p.Range.Value.High)).ToList();
    }

    /// <summary>
    /// The full-tier bands of <paramref name="metrics"/> on every layer of the baseline that has them, keyed as the
    /// trajectory report takes them (<c>spectralgate trajectory --report --baseline</c>).
    /// </summary>
    public Dictionary<(string Layer, string Metric), IReadOnlyList<TrajectoryBandPoint>> Bands(IEnumerable<string> metrics)
    {
        var bands = new Dictionary<(string Layer, string Metric), IReadOnlyList<TrajectoryBandPoint>>();
        foreach (string layer in Baseline.Reference.LayerNames())
            foreach (string metric in metrics)
                if (Band(layer, metric) is { Count: > 0 } band) bands[(layer, metric)] = band;
        return bands;
    }

    /// <summary>Where the comparison fired, for a plot's marks: one per full-tier regression, where the value left the band (the findings say by how much).</summary>
    public IReadOnlyList<TrajectoryMark> Marks =>
        Findings.Where(f => f.Kind == FindingKind.Regression && f.Step is not null && f.Tier == TrajectoryTiers.Full)
            .Select(f => new TrajectoryMark(f.Layer!, f.Metric!, f.Step!.Value, "outside baseline band")).ToList();
}

/// <summary>The regressions of one series in step order: <see cref="First"/> is where the dynamics left the band.</summary>
public sealed record TrajectorySeriesFindings(BandKey Series, IReadOnlyList<TrajectoryFinding> Findings)
{
    public TrajectoryFinding First => Findings[0];

    /// <summary>The finding furthest outside its band (undefined values count as infinitely far).</summary>
    public TrajectoryFinding Worst => Findings.MaxBy(f => f.Excess)!;

    // As the tables of Reports print them (six significant digits); comparisons come before reports in the pipeline.
    private static string Number(double? value) => value is double v ? v.ToString("G6", CultureInfo.InvariantCulture) : "-";

    /// <summary>One line for a diagnostic: "layer 'fc1.weight' alpha outside the baseline's band at 3 of its steps, first at step 200: baseline 3.1, actual 4.2, accepted [2.9, 3.3] (tolerance ±(0.1 + 5%))".</summary>
    public string Headline
    {
        get
        {
            var f = First;
            string accepted = f.Accepted is { } r ? string.Create(CultureInfo.InvariantCulture, $", accepted [{Number(r.Low)}, {Number(r.High)}]") : "";
            string tolerance = f.Tolerance is { } t ? $" (tolerance {t})" : "";
            string interpolated = f.Interpolated ? " (baseline interpolated on log-step)" : "";
            return string.Create(CultureInfo.InvariantCulture,
                $"layer '{Series.Layer}' {Series.Metric}{(Series.Tier == Trajectories.TrajectoryTiers.Full ? "" : $" ({Series.Tier} tier)")} {f.Message} at {Findings.Count} step{(Findings.Count == 1 ? "" : "s")}, first at step {f.Step}: baseline {Number(f.Baseline)}, actual {Number(f.Actual)}{accepted}{tolerance}{interpolated}");
        }
    }
}
