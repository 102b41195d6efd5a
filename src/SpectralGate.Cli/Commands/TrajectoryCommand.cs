using System.CommandLine;
using SpectralGate.Cli.Reports;
using SpectralGate.Engine.Baselines;
using SpectralGate.Engine.Metrics;
using SpectralGate.Engine.Trajectories;

namespace SpectralGate.Cli.Commands;

/// <summary>
/// <c>spectralgate trajectory PATH...</c>: the trajectory of a series of checkpoints (docs/training.md), one full
/// record per checkpoint in step order, as JSON, CSV, a TensorBoard event file and plots. The <c>--json</c> output of the last run is the cache:
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
        var tensorBoard = ExportCommand.TensorBoardOption();
        var report = new Option<string?>("--report") { Description = "Write trajectory.html (inline SVG) and a PNG per layer and metric into this folder." };
        var stepPattern = new Option<string?>("--step-pattern") { Description = "Regular expression with one capture group around the step, matched against each checkpoint's file name (or its checkpoint folder's)." };
        var metrics = new Option<string?>("--metrics") { Description = $"Comma-separated metrics to plot (default {string.Join(",", DefaultPlotMetrics)})." };
        var logStep = new Option<bool>("--log-step") { Description = "Plot the step on a log axis (log10(1 + step)), for runs whose early steps matter." };
        var baseline = new Option<string?>("--baseline") { Description = "A baseline trajectory (a trajectory JSON or a multi-seed baseline): its band, widened by the tolerances, is drawn behind the curves, and the steps where the gate's comparison fires are marked." };
        var computation = new SignatureOptionSet();

        var command = new Command("trajectory", "Compute the spectral trajectory of a series of checkpoints (the step read from each name) and write it as JSON, CSV or plots.");
        command.Arguments.Add(paths);
        foreach (Option option in new Option[] { json, csv, tensorBoard, report, stepPattern, metrics, logStep, baseline }) command.Options.Add(option);
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
            (TrajectoryBaseline Baseline, RecordedTolerances Tolerances)? baselineFile = parse.GetValue(baseline) is { } baselinePath ? TrajectoryBaselineFile.Read(baselinePath) : null;

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
            if (parse.GetValue(tensorBoard) is { } board)
                ExportCommand.Report(TrajectoryTensorBoard.Write(board, trajectory), jsonPath == "-" ? Console.Error : Console.Out);
            if (parse.GetValue(report) is { } reportDirectory)
            {
                // The gate's own comparison draws the band (a multi-seed band included) and marks where it fired.
                var comparison = baselineFile is { } b ? TrajectoryComparer.Compare(b.Baseline, trajectory, b.Tolerances.Resolve([])) : null;
                var bands = comparison?.Bands(plotted);
                var marks = comparison?.Marks;
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

    /// <summary>Progress&lt;T&gt; posts to the thread pool; these lines must come in order, before the summary.</summary>
    private sealed class SynchronousProgress(Action<SeriesProgress> report) : IProgress<SeriesProgress>
    {
        public void Report(SeriesProgress value) => report(value);
    }
}
