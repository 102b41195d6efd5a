using System.CommandLine;
using SpectralGate.Engine.IO;
using SpectralGate.Engine.Signatures;
using SpectralGate.Engine.Trajectories;

namespace SpectralGate.Cli.Commands;

/// <summary><c>spectralgate merge PART... --output FILE</c>: joins the partial signatures of <c>inspect --shard i/n</c>, or trajectories (<see cref="TrajectoryMerge"/>).</summary>
internal static class MergeCommand
{
    public static Command Create()
    {
        var parts = new Argument<string[]>("parts") { Description = "The partial signature files, one per shard, or the trajectory files, in any order.", Arity = ArgumentArity.OneOrMore };
        var output = new Option<string>("--output", "-o") { Description = "Where to write the merged signature or trajectory JSON.", Required = true };

        var command = new Command("merge", "Join the partial signatures of 'inspect --shard i/n' into the signature a single run writes (the same bytes), or trajectories of separate runs or shards into one.");
        command.Arguments.Add(parts);
        command.Options.Add(output);
        command.SetAction(parse => CommonOptions.Run(parse, () =>
        {
            string[] files = parse.GetRequiredValue(parts);
            if (TrajectoryJsonReader.IsTrajectory(files[0])) return MergeTrajectories(files, parse.GetRequiredValue(output));
            var read = files.Select(path => (path, SignatureJson.Read(path))).ToList();
            var merged = SignatureMerge.Merge(read);
            string path = parse.GetRequiredValue(output);
            SignatureJson.Write(path, merged);
            Console.Out.WriteLine($"Merged {read.Count} shards ({merged.Layers.Count} layers) into {path}");
            return ExitCodes.Success;
        }));
        return command;
    }

    /// <summary>Trajectories of separate runs or shards of one series: the union of their records (docs/training.md).</summary>
    private static int MergeTrajectories(string[] files, string output)
    {
        var read = files.Select(path => (path, TrajectoryJson.Rebased(TrajectoryJsonReader.Read(path), path, output))).ToList();
        var merged = TrajectoryMerge.Merge(read);
        AtomicFile.WriteAllBytes(output, TrajectoryJson.ToBytes(merged));
        Console.Out.WriteLine($"Merged {read.Count} trajectories ({merged.Records.Count} records) into {output}");
        return ExitCodes.Success;
    }
}
