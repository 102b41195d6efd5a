using System.CommandLine;
using SpectralGate.Engine.Runtime;
using SpectralGate.Engine.Snapshots;

namespace SpectralGate.Cli.Commands;

/// <summary><c>spectralgate accept [PATH]</c> and <c>spectralgate reject [PATH]</c>: promote or drop received snapshots.</summary>
internal static class AcceptCommand
{
    public static Command CreateAccept() => Create("accept",
        "Accept received spectral and trajectory snapshots (*.spectral.received.json, *.trajectory.received.json): each replaces its .verified.json baseline.",
        received =>
        {
            // Gone between the listing and now: another process (a test run, a second accept) took it first.
            if (SnapshotAcceptance.Accept(received) is { } verified) Console.Out.WriteLine($"accepted {verified}");
            else Console.Out.WriteLine($"already taken by another process: {received}");
        },
        new Option<bool>("--list-orphans")
        {
            Description = "Accept nothing: list the *.spectral.verified.json and *.trajectory.verified.json files under PATH that no test used in its last run (the obj/SpectralGateUsed ledgers); exit 1 when there are any.",
        });

    public static Command CreateReject() => Create("reject",
        "Reject received spectral and trajectory snapshots: delete the *.spectral.received.json and *.trajectory.received.json files, keeping the baselines.",
        received =>
        {
            SnapshotAcceptance.Reject(received);
            Console.Out.WriteLine($"rejected {received}");
        });

    private static Command Create(string name, string description, Action<string> act, Option<bool>? listOrphans = null)
    {
        var path = new Argument<string>("path") { Description = "A received file, or a folder searched recursively (default: the current folder).", DefaultValueFactory = _ => "." };
        var command = new Command(name, description);
        command.Arguments.Add(path);
        if (listOrphans is not null) command.Options.Add(listOrphans);
        command.SetAction(parse => CommonOptions.Run(parse, () =>
        {
            if (listOrphans is not null && parse.GetValue(listOrphans)) return ListOrphans(parse.GetRequiredValue(path));
            var files = SnapshotAcceptance.FindReceived(parse.GetRequiredValue(path));
            if (files.Count == 0) Console.Out.WriteLine("No received spectral snapshots found.");
            foreach (string file in files) act(file);
            string root = parse.GetRequiredValue(path);
            ReceivedMap.Prune(Directory.Exists(root) ? root : Path.GetDirectoryName(Path.GetFullPath(root))!);
            return ExitCodes.Success;
        }));
        return command;
    }

    private static int ListOrphans(string root)
    {
        var orphans = SnapshotOrphans.Find(root);
        if (orphans.Count == 0) Console.Out.WriteLine("No orphaned spectral snapshots: every verified file was used by the last test run.");
        foreach (string file in orphans) Console.Out.WriteLine($"orphan {Path.GetRelativePath(Path.GetFullPath(root), file)}");
        return orphans.Count == 0 ? ExitCodes.Success : ExitCodes.Differences;
    }
}
