using System.Diagnostics;
using System.Globalization;
using Grokking;

/// <summary>
/// Hyperparameter exploration for the grokking sample: one run per settings line, key=value overrides of
/// <see cref="GrokkingSettings"/>; prints when train accuracy reached 99 %, when held-out accuracy reached 90 %, and the
/// curve every <c>print</c> steps.
/// </summary>
internal static class GrokkingSearch
{
    public static void Run(IEnumerable<string> args)
    {
        var settings = Parse(args, out int print, out int record);
        if (record > 0)
        {
            Explore(settings, record, print);
            return;
        }
        var clock = Stopwatch.StartNew();
        var curve = GrokkingRun.Train(settings);
        double seconds = clock.Elapsed.TotalSeconds;
        if (print > 0)
            foreach (var s in curve.Where(s => s.Step % print == 0))
                Console.WriteLine($"  {s.Step,6} train {s.TrainAccuracy:F3} test {s.TestAccuracy:F3} loss {s.TrainLoss:F4} / {s.TestLoss:F3}");
        Summary(settings, curve, seconds);
    }

    private static void Summary(GrokkingSettings settings, IReadOnlyList<GrokkingScalars> curve, double seconds)
    {
        var last = curve[^1];
        Console.WriteLine($"{settings} | {seconds:F1} s | train99 {GrokkingRun.FirstStepAtTrainAccuracy(curve, 0.99)?.ToString(CultureInfo.InvariantCulture) ?? "-"} test90 {GrokkingRun.FirstStepAtTestAccuracy(curve, 0.9)?.ToString(CultureInfo.InvariantCulture) ?? "-"} final train {last.TrainAccuracy:F3} test {last.TestAccuracy:F3} max test {curve.Max(s => s.TestAccuracy):F3}");
    }

    /// <summary>Records the trajectory and prints every layer's metrics every <paramref name="print"/> steps, to see which move at the jump.</summary>
    private static void Explore(GrokkingSettings settings, int record, int print)
    {
        var clock = Stopwatch.StartNew();
        var recording = GrokkingRecording.Record(settings, record, fullEvery: 1);
        Summary(settings, recording.Curve, clock.Elapsed.TotalSeconds);
        Console.WriteLine($"monitor: {recording.Report.MonitorTime.TotalSeconds:F1} s of {recording.Report.Elapsed.TotalSeconds:F1} s, memorised at {GrokkingTransition.MemorisedStep(recording.Trajectory)}");
        var t = recording.Trajectory;
        foreach (string tier in new[] { "cheap", "full" })
        {
            var steps = t.Records.Where(r => r.Tier == tier && r.Step % print == 0).ToList();
            Console.WriteLine($"[{tier}] step".PadRight(34) + string.Join(" ", steps.Select(r => $"{r.Step,7}")));
            foreach (string scalar in new[] { GrokkingRecording.TestAccuracy, GrokkingRecording.UpdateEigengap })
                Console.WriteLine(scalar.PadRight(34) + string.Join(" ", steps.Select(r => r.Scalars.TryGetValue(scalar, out double g) ? $"{g,7:G4}" : "      -")));
            var names = steps.SelectMany(r => r.Layers).SelectMany(l => l.Metrics.Keys.Select(m => (l.Name, m))).Distinct().ToList();
            foreach (var (layer, metric) in names)
            {
                if (tier == "full" && !FullMetrics.Contains(metric)) continue;
                Console.WriteLine($"{layer}/{metric}".PadRight(34) + string.Join(" ", steps.Select(r => r.Layer(layer)?[metric] is { } v ? $"{v,7:G4}" : "      -")));
            }
        }
        foreach (var (layer, metric) in t.Records.SelectMany(r => r.Layers.SelectMany(l => l.Metrics.Keys.Select(m => (l.Name, m, r.Tier)))).Distinct()
            .Where(x => x.Tier == "cheap" || FullMetrics.Contains(x.m)).Select(x => (x.Name, x.m)).Distinct())
            foreach (string tier in new[] { "cheap", "full" })
            {
                var statistic = new GrokkingStatistic(layer, metric, tier);
                if (statistic.Series(t).Count == 0) continue;
                try
                {
                    var d = GrokkingTransition.Detect(t, statistic); var cp = d.ChangePoint;
                    Console.WriteLine($"cp {statistic}".PadRight(50) + $" fired {d.Fired,-5} range {d.RelativeRange:F3} found {cp.Found,-5} step {cp.Step,5} p {cp.PValue:F3} explained {cp.Explained:F2} F {cp.F:G3} level {cp.LevelChange:G3} slopes {cp.SlopeBefore:G3}/{cp.SlopeAfter:G3}");
                }
                catch (Exception e) { Console.WriteLine($"cp {statistic}: {e.Message}"); }
            }
        var gapCp = GrokkingTransition.Detect(t, new GrokkingStatistic(null, GrokkingRecording.UpdateEigengap)).ChangePoint;
        Console.WriteLine($"cp update_eigengap found {gapCp.Found} step {gapCp.Step} p {gapCp.PValue:F3} explained {gapCp.Explained:F2}");
    }

    private static readonly HashSet<string> FullMetrics = ["stable_rank", "effective_rank", "alpha", "mp_softrank", "num_spikes", "spectral_entropy", "frobenius_norm", "spectral_norm"];

    private static GrokkingSettings Parse(IEnumerable<string> args, out int print, out int record)
    {
        var settings = new GrokkingSettings();
        print = 0;
        record = 0;
        foreach (string arg in args)
        {
            var (key, value) = (arg.Split('=')[0], arg.Split('=')[1]);
            var c = CultureInfo.InvariantCulture;
            settings = key switch
            {
                "p" => settings with { Modulus = int.Parse(value, c) },
                "op" => settings with { Operation = Enum.Parse<ModularOperation>(value, ignoreCase: true) },
                "frac" => settings with { TrainFraction = double.Parse(value, c) },
                "emb" => settings with { Embedding = int.Parse(value, c) },
                "width" => settings with { Width = int.Parse(value, c) },
                "act" => settings with { Activation = Enum.Parse<HiddenActivation>(value, ignoreCase: true) },
                "init" => settings with { InitScale = double.Parse(value, c) },
                "lr" => settings with { LearningRate = double.Parse(value, c) },
                "wd" => settings with { WeightDecay = double.Parse(value, c) },
                "steps" => settings with { Steps = int.Parse(value, c) },
                "seed" => settings with { Seed = long.Parse(value, c) },
                "split" => settings with { SplitSeed = long.Parse(value, c) },
                "every" => settings with { EvaluateEvery = int.Parse(value, c) },
                "print" => Keep(ref print, int.Parse(value, c), settings),
                "record" => Keep(ref record, int.Parse(value, c), settings),
                _ => throw new ArgumentException($"unknown key {key}"),
            };
        }
        return settings;
    }

    private static GrokkingSettings Keep(ref int target, int value, GrokkingSettings settings)
    {
        target = value;
        return settings;
    }
}
