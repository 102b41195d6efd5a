using System.CommandLine;
using SpectralGate.Engine.Signatures;

namespace SpectralGate.Cli.Commands;

/// <summary><c>spectralgate merge PART... --output FILE</c>: joins the partial signatures of <c>inspect --shard i/n</c>.</summary>
internal static class MergeCommand
{
    public static Command Create()
    {
        var parts = new Argument<string[]>("parts") { Description = "The partial signature files, one per shard, in any order.", Arity = ArgumentArity.OneOrMore };
        var output = new Option<string>("--output", "-o") { Description = "Where to write the merged signature JSON.", Required = true };

        var command = new Command("merge", "Join the partial signatures of 'inspect --shard i/n' into the signature a single run writes (the same bytes).");
        command.Arguments.Add(parts);
        command.Options.Add(output);
        command.SetAction(parse => CommonOptions.Run(parse, () =>
        {
            var read = parse.GetRequiredValue(parts).Select(path => (path, SignatureJson.Read(path))).ToList();
            var merged = SignatureMerge.Merge(read);
            string path = parse.GetRequiredValue(output);
            SignatureJson.Write(path, merged);
            Console.Out.WriteLine($"Merged {read.Count} shards ({merged.Layers.Count} layers) into {path}");
            return ExitCodes.Success;
        }));
        return command;
    }
}
