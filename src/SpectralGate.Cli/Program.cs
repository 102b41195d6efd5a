using System.CommandLine;
using SpectralGate.Engine.Runtime;
using SpectralGate.Cli;
using SpectralGate.Cli.Commands;

TorchHugePages.Request(); // before the first tensor: libtorch reads the switch once

var root = new RootCommand("spectralgate: spectral signatures of neural-network checkpoints, and the gate that checks them against baselines.");
root.Options.Add(CommonOptions.Verbose);
root.Subcommands.Add(InspectCommand.Create());
root.Subcommands.Add(CheckCommand.Create());
root.Subcommands.Add(DiffCommand.Create());
root.Subcommands.Add(MergeCommand.Create());
root.Subcommands.Add(TrajectoryCommand.Create());
root.Subcommands.Add(ExportCommand.Create());
root.Subcommands.Add(BaselineFromCommand.Create());
root.Subcommands.Add(AcceptCommand.CreateAccept());
root.Subcommands.Add(AcceptCommand.CreateReject());

ParseResult parse = root.Parse(args);
if (parse.Errors.Count > 0)
{
    foreach (var error in parse.Errors) Console.Error.WriteLine($"spectralgate: {error.Message}");
    Console.Error.WriteLine("Run 'spectralgate --help' for usage.");
    return ExitCodes.BadInput;
}
return parse.Invoke();
