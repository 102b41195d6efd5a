using System.CommandLine;
using SpectralGate.Cli.Reports;
using SpectralGate.Engine.Baselines;
using SpectralGate.Engine.Metrics;
using SpectralGate.Engine.Trajectories;

namespace SpectralGate.Cli.Commands;

/// <summary>
/// <c>spectralgate trajectory PATH...</c>: the trajectory of a series of checkpoints (docs/training.md), one full
/// record per checkpoint in step order, as JSON, CSV and plots. The <c>--json</c> output of the last run is the cache:
/// only checkpoints whose bytes (SHA-256) or settings are new are computed.
/// </summary>
internal static class TrajectoryCommand
{
    /// <summary>The metrics plotted when <c>--metrics</c> is not given: the HT-SR exponent, the two ranks and the scale.</summary>
    public static readonly string[] DefaultPlotMetrics = [MetricNames.Alpha, MetricNames.StableRank, MetricNames.EffectiveRank, MetricNames.LogSpectralNorm];

    public static Command Create()
    {
        var paths = new Argument<string[]>("paths")
        {
            Description = "Checkpoints: files of any supported format, Hugging Face checkpoint-N folders, folders of them, or globs ('*' within a path segment, '**' across).",
            Arity = ArgumentArity.OneOrMore,
        };
        var json = new Option<string?>("--json") { Description = "Write the trajectory JSON to this file ('-' for standard output). An existing file is the cache: its checkpoints are not computed again." };
        var csv = new Option<string?>("--csv") { Description = "Write the trajectory as long CSV (step,layer,metric,value,tier) to this file." };
        var report = new Option<string?>("--report") { Description = "Write trajectory.html (inline SVG) and a PNG per layer and metric into this folder." };
        var stepPattern = new Option<string?>("--step-pattern") { Description = "Regular expression with one capture group around the step, matched against each checkpoint's file name (or its checkpoint folder's)." };
        var metrics = new Option<string?>("--metrics") { Description = $"Comma-separated metrics to plot (default {string.Join(",", DefaultPlotMetrics)})." };
        var logStep = new Option<bool>("--log-step") { Description = "Plot the step on a log axis (log10(1 + step)), for runs whose early steps matter." };
        var baseline = new Option<string?>("--baseline") { Description = "A baseline trajectory JSON: its values ± the default tolerances are drawn behind the curves, and steps outside that band are marked." };
        var computation = new SignatureOptionSet();

        var command = new Command("trajectory", "Compute the spectral trajectory of a series of checkpoints (the step read from each name) and write it as JSON, CSV or plots.");
        command.Arguments.Add(paths);
        foreach (Option option in new Option[] { json, csv, report, stepPattern, metrics, logStep, baseline }) command.Options.Add(option);
        computation.AddTo(command);
        command.SetAction(parse => CommonOptions.Run(parse, () =>
        {
            // Plot options without a plot would be silently ignored: refused instead.
            string[] plotOnly = [.. new Option[] { metrics, logStep, baseline }.Where(o => parse.GetResult(o) is { Implicit: false }).Select(o => o.Name)];
            if (parse.GetValue(report) is null && plotOnly.Length > 0)
                throw new ArgumentException($"{string.Join(", ", plotOnly)} apply to --report only.");
            var options = computation.Bind(parse);
            string[] plotted = ParseMetrics(parse.GetValue(metrics));
            var discovery = CheckpointSeries.Discover(parse.GetRequiredValue(paths), parse.GetValue(stepPattern));
            foreach (string entry in discovery.Ignored) Console.Error.WriteLine($"note: {entry}: not a checkpoint, ignored.");
            Trajectory? baselineTrajectory = parse.GetValue(baseline) is { } baselinePath ? TrajectoryJsonReader.Read(baselinePath) : null;

            string? jsonPath = parse.GetValue(json);
            Trajectory? cache = jsonPath is not null and not "-" && File.Exists(jsonPath) ? TrajectoryJsonReader.Read(jsonPath) : null;
            var result = TrajectoryBuilder.Build(discovery.Checkpoints, options, cache,
                new SynchronousProgress(p => Console.Error.WriteLine($"step {p.Checkpoint.Step}: {(p.Reused ? "reused" : "computed")} {p.Checkpoint.Path} ({p.CheckpointsDone}/{p.CheckpointCount})")));
            if (result.CacheUnused is not null) Console.Error.WriteLine($"note: {jsonPath}: {result.CacheUnused}.");
            Trajectory trajectory = result.Trajectory;

            if (jsonPath == "-") Console.Out.Write(TrajectoryJson.ToText(TrajectoryJson.RecordedIn(trajectory, Path.Combine(Environment.CurrentDirectory, "-"))));
            else
            {
                Console.Out.WriteLine($"Trajectory of {trajectory.Records.Count} checkpoints (steps {trajectory.Records[0].Step} to {trajectory.Records[^1].Step}, {trajectory.LayerNames().Count} layers): {result.Computed.Count} computed, {result.Reused.Count} reused.");
                if (jsonPath is not null)
                {
                    TrajectoryJson.Write(jsonPath, trajectory);
                    Console.Out.WriteLine($"Trajectory written to {jsonPath}");
                }
            }
            if (parse.GetValue(csv) is { } csvPath)
            {
                TrajectoryCsv.Write(csvPath, trajectory);
                if (jsonPath != "-") Console.Out.WriteLine($"CSV written to {csvPath}");
            }
            if (parse.GetValue(report) is { } reportDirectory)
            {
                var bands = baselineTrajectory is null ? null : BaselineBands(baselineTrajectory, plotted);
                var marks = bands is null ? null : OutsideBand(trajectory, bands);
                TrajectoryReport.Write(reportDirectory, trajectory, plotted, parse.GetValue(logStep), bands, marks);
                if (jsonPath != "-") Console.Out.WriteLine($"Report written to {Path.Combine(reportDirectory, TrajectoryReport.HtmlFile)}");
            }
            return ExitCodes.Success;
        }));
        return command;
    }

    private static string[] ParseMetrics(string? list)
    {
        if (list is null) return DefaultPlotMetrics;
        string[] names = list.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        return names.Length > 0 ? names.Distinct(StringComparer.Ordinal).ToArray() : throw new ArgumentException("--metrics names no metric.");
    }

    /// <summary>
    /// The band of a baseline trajectory: at each of its steps, its value ± the metric's default tolerance. Kept to the
    /// plot's simple input so that the trajectory baseline comparison can supply its own bands instead.
    /// </summary>
    internal static Dictionary<(string Layer, string Metric), IReadOnlyList<TrajectoryBandPoint>> BaselineBands(Trajectory baseline, IReadOnlyList<string> metrics)
    {
        var bands = new Dictionary<(string, string), IReadOnlyList<TrajectoryBandPoint>>();
        foreach (string layer in baseline.LayerNames())
            foreach (string metric in metrics)
            {
                Tolerance tolerance = ToleranceDefaults.For(metric);
                var band = baseline.Series(layer, metric, TrajectoryTiers.Full)
                    .Where(p => p.Value is double v && double.IsFinite(v))
                    .Select(p => new TrajectoryBandPoint(p.Step, p.Value!.Value - tolerance.Allowed(p.Value.Value), p.Value.Value + tolerance.Allowed(p.Value.Value)))
                    .ToList();
                if (band.Count > 0) bands[(layer, metric)] = band;
            }
        return bands;
    }

    /// <summary>The steps where a value lies outside the band at that same step (steps the band lacks are not judged here).</summary>
    internal static List<TrajectoryMark> OutsideBand(Trajectory trajectory, IReadOnlyDictionary<(string Layer, string Metric), IReadOnlyList<TrajectoryBandPoint>> bands)
    {
        var marks = new List<TrajectoryMark>();
        foreach (var ((layer, metric), band) in bands.OrderBy(b => b.Key.Layer, StringComparer.Ordinal).ThenBy(b => b.Key.Metric, StringComparer.Ordinal))
        {
            var byStep = band.ToDictionary(b => b.Step);
            foreach (TrajectoryPoint p in trajectory.Series(layer, metric, TrajectoryTiers.Full))
                if (byStep.TryGetValue(p.Step, out var b) && (p.Value is not double v || v < b.Low || v > b.High))
                    marks.Add(new TrajectoryMark(layer, metric, p.Step, "outside baseline band"));
        }
        return marks;
    }

    /// <summary>Progress&lt;T&gt; posts to the thread pool; these lines must come in order, before the summary.</summary>
    private sealed class SynchronousProgress(Action<SeriesProgress> report) : IProgress<SeriesProgress>
    {
        public void Report(SeriesProgress value) => report(value);
    }
}
