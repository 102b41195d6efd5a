using System.CommandLine;

namespace SpectralGate.Cli.Commands;

/// <summary>The <c>spectralgate</c> command and its subcommands: what Program runs, and what CliSurfaceTests hold to docs/surface/cli.txt.</summary>
internal static class SpectralGateCommand
{
    public static RootCommand Create()
    {
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
        return root;
    }
}
