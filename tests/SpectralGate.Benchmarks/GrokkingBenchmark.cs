using System.Diagnostics;
using System.Globalization;
using Grokking;
using SpectralGate.Engine.Trajectories;

/// <summary>
/// Issue 26's grokking benchmark: 5 seeds of the sample's grokking run and of its weight-decay-0 control, each recorded
/// with the training monitor; per candidate statistic, where the transition test fires against where held-out accuracy
/// first reaches 90 %, and how many seeds it separates (fires near the jump in the grokking run, nowhere in the control).
///   dotnet run -c Release --project tests/SpectralGate.Benchmarks -- grokking [quadratic] [seeds=5]
/// </summary>
internal static class GrokkingBenchmark
{
    /// <summary>"Near the jump": from 200 steps before held-out accuracy first reaches 10 % to 200 steps after it reaches 90 %.</summary>
    public const int Margin = 200;

    private static readonly GrokkingStatistic[] Candidates =
    [
        new("hidden.weight", "stable_rank"),
        new("readout.weight", "stable_rank"),
        new("embed.weight", "stable_rank"),
        new("hidden.weight", "frobenius_norm"),
        new("hidden.weight", "spectral_norm"),
        new("hidden.weight", "update_spectral_norm"),
        new("hidden.weight", "effective_rank", TrajectoryTiers.Full),
        new("hidden.weight", "num_spikes", TrajectoryTiers.Full),
        new("hidden.weight", "mp_softrank", TrajectoryTiers.Full),
        new("hidden.weight", "alpha", TrajectoryTiers.Full),
        new("readout.weight", "alpha", TrajectoryTiers.Full),
        new("probe:activations/hidden", "participation_ratio"),
        new("probe:activations/hidden", "alpha_req"),
        new(null, GrokkingRecording.UpdateEigengap),
        new(null, GrokkingRecording.TestAccuracy),
    ];

    public static void Run(IEnumerable<string> args)
    {
        var list = args.ToList();
        var settings = GrokkingSample.Settings;
        if (list.Contains("quadratic")) settings = settings with { Activation = HiddenActivation.Quadratic };
        int seeds = list.Where(a => a.StartsWith("seeds=", StringComparison.Ordinal)).Select(a => int.Parse(a[6..], CultureInfo.InvariantCulture)).DefaultIfEmpty(5).First();
        Console.WriteLine($"settings: {settings}");
        var runs = new List<(long Seed, GrokkingRecording Grok, GrokkingRecording Control)>();
        for (long seed = 1; seed <= seeds; seed++)
        {
            var clock = Stopwatch.StartNew();
            var grok = GrokkingRecording.Record(settings with { Seed = seed }, GrokkingSample.RecordEvery);
            double grokSeconds = clock.Elapsed.TotalSeconds;
            clock.Restart();
            var control = GrokkingRecording.Record(settings.Control() with { Seed = seed }, GrokkingSample.RecordEvery);
            Console.WriteLine($"seed {seed}: grok {grokSeconds:F1} s (monitor {grok.Report.MonitorTime.TotalSeconds:F1} s), control {clock.Elapsed.TotalSeconds:F1} s; "
                + $"memorised {GrokkingTransition.MemorisedStep(grok.Trajectory)} / {GrokkingTransition.MemorisedStep(control.Trajectory)}, "
                + $"held-out 10 % at {Show(GrokkingTransition.TestAccuracyStep(grok.Trajectory, 0.1))}, 90 % at {Show(grok.GrokkedStep)}; control final held-out {control.Curve[^1].TestAccuracy:F3}");
            runs.Add((seed, grok, control));
        }

        Console.WriteLine();
        Console.WriteLine($"| statistic | grokking: fires at (90 % at) per seed | control: fires at | separated |");
        Console.WriteLine("|---|---|---|---|");
        foreach (var statistic in Candidates)
        {
            int separated = 0;
            var grokCells = new List<string>();
            var controlCells = new List<string>();
            foreach (var (_, grok, control) in runs)
            {
                var g = GrokkingTransition.Detect(grok.Trajectory, statistic);
                var c = GrokkingTransition.Detect(control.Trajectory, statistic);
                bool near = g.Step is { } step && IsNear(grok.Trajectory, step);
                if (near && !c.Fired) separated++;
                grokCells.Add($"{Show(g.Step)}{(g.Fired && !near ? "*" : "")} ({Show(grok.GrokkedStep)})");
                controlCells.Add(c.Fired ? Show(c.Step) : "–");
            }
            Console.WriteLine($"| {statistic} | {string.Join(", ", grokCells)} | {string.Join(", ", controlCells)} | {separated}/{runs.Count} |");
        }
        // The paper's own detector on the per-step eigengap, from memorisation on.
        {
            int separated = 0;
            var grokCells = new List<string>();
            var controlCells = new List<string>();
            foreach (var (_, grok, control) in runs)
            {
                long? g = EigengapSlopeDetector.FirstRise(grok.Eigengaps, GrokkingTransition.MemorisedStep(grok.Trajectory) ?? long.MaxValue);
                long? c = EigengapSlopeDetector.FirstRise(control.Eigengaps, GrokkingTransition.MemorisedStep(control.Trajectory) ?? long.MaxValue);
                bool near = g is { } step && IsNear(grok.Trajectory, step);
                if (near && c is null) separated++;
                grokCells.Add($"{Show(g)}{(g is not null && !near ? "*" : "")} ({Show(grok.GrokkedStep)})");
                controlCells.Add(c is null ? "–" : Show(c));
            }
            Console.WriteLine($"| update_eigengap slope detector (arXiv 2605.08119) | {string.Join(", ", grokCells)} | {string.Join(", ", controlCells)} | {separated}/{runs.Count} |");
        }
        if (list.FirstOrDefault(a => a.StartsWith("plots=", StringComparison.Ordinal)) is { } plots)
        {
            // The statistics the CI test asserts: a weight spectrum and an activation spectrum.
            foreach (var (statistic, suffix) in new[] { (new GrokkingStatistic("embed.weight", "stable_rank"), "embed-stable-rank"), (new GrokkingStatistic("probe:activations/hidden", "participation_ratio"), "hidden-participation-ratio") })
            {
                GrokkingPlots.Write(plots[6..], $"grokking-run-{suffix}", runs[0].Grok, statistic, $"Grokking run (seed {runs[0].Seed}): weight decay {settings.WeightDecay}");
                GrokkingPlots.Write(plots[6..], $"grokking-control-{suffix}", runs[0].Control, statistic, $"Control (seed {runs[0].Seed}): weight decay 0");
            }
        }
        Console.WriteLine($"(* fired outside the window from {Margin} steps before held-out accuracy reached 10 % to {Margin} steps after it reached 90 %.)");
    }

    private static bool IsNear(Trajectory trajectory, long step) =>
        GrokkingTransition.TestAccuracyStep(trajectory, 0.1) is { } start && GrokkingTransition.TestAccuracyStep(trajectory, GrokkingTransition.Grokked) is { } end
        && step >= start - Margin && step <= end + Margin;

    private static string Show(long? step) => step?.ToString(CultureInfo.InvariantCulture) ?? "–";
}
