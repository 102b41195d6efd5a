using System.CommandLine;
using System.Globalization;
using SpectralGate.Engine.Baselines;
using SpectralGate.Engine.Trajectories;

namespace SpectralGate.Cli.Commands;

/// <summary>
/// <c>spectralgate baseline-from SEED.json... -o FILE [--band envelope|mean-sd] [--k 3]</c>: one trajectory baseline
/// from the same training run under several seeds, so a gate on training dynamics judges against the seeds' spread
/// (docs/training.md, "Trajectory baselines and the gate").
/// </summary>
internal static class BaselineFromCommand
{
    public static Command Create()
    {
        var seeds = new Argument<string[]>("seeds") { Description = "The trajectory JSON of each seed, recorded on the same steps with the same settings; the first is the reference the file keeps.", Arity = ArgumentArity.OneOrMore };
        var output = new Option<string>("--output", "-o") { Description = "Where to write the trajectory baseline (atomically).", Required = true };
        var band = new Option<string>("--band") { Description = "envelope (default): [min, max] of the seeds; mean-sd: mean ± k·sd (at least 3 seeds). Either is widened by each metric's tolerance.", DefaultValueFactory = _ => "envelope" };
        band.AcceptOnlyFromAmong("envelope", "mean-sd");
        var k = new Option<double>("--k") { Description = "The k of mean ± k·sd.", DefaultValueFactory = _ => TrajectoryBands.DefaultK };
        var tolerances = ToleranceOption.Create();

        var command = new Command("baseline-from", "Build one trajectory baseline from several seeds' trajectories: per (layer, metric, step) a band the gate and TrajectorySnapshot check against.");
        command.Arguments.Add(seeds);
        foreach (Option o in new Option[] { output, band, k, tolerances }) command.Options.Add(o);
        command.SetAction(parse => CommonOptions.Run(parse, () =>
        {
            var paths = parse.GetRequiredValue(seeds);
            var method = parse.GetValue(band) == "mean-sd" ? BandMethod.MeanSd : BandMethod.Envelope;
            if (method == BandMethod.Envelope && parse.GetResult(k) is { Implicit: false })
                throw new ArgumentException("--k applies to --band mean-sd only.");
            var runs = paths.Select(TrajectoryJsonReader.Read).ToList();
            var baseline = TrajectoryBands.FromSeeds(runs, method, parse.GetValue(k), paths);
            string path = parse.GetRequiredValue(output);
            TrajectoryBaselineFile.Write(path, baseline, ToleranceOption.Parse(parse.GetValue(tolerances)));
            string how = method == BandMethod.Envelope ? "envelope" : string.Create(CultureInfo.InvariantCulture, $"mean ± {parse.GetValue(k)}·sd");
            Console.Out.WriteLine($"Wrote a {how} baseline of {runs.Count} seeds ({baseline.Bands.Count} series over {runs[0].Records.Count} records) to {path}");
            return ExitCodes.Success;
        }));
        return command;
    }
}
