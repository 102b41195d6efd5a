using System.CommandLine;
using SpectralGate.Engine.Trajectories;

namespace SpectralGate.Cli.Commands;

/// <summary>
/// <c>spectralgate export RUN.json --tensorboard DIR</c>: a recorded trajectory (the monitor's file, or
/// <c>trajectory --json</c>) as a TensorBoard event file (<see cref="TrajectoryTensorBoard"/>) or long CSV, without
/// computing anything.
/// </summary>
internal static class ExportCommand
{
    public static Command Create()
    {
        var run = new Argument<string>("trajectory") { Description = "A trajectory JSON file (the training monitor's, or 'trajectory --json')." };
        var tensorBoard = TensorBoardOption();
        var csv = new Option<string?>("--csv") { Description = "Write the trajectory as long CSV (step,layer,metric,value,tier) to this file." };

        var command = new Command("export", "Write a recorded trajectory as a TensorBoard event file or long CSV.");
        command.Arguments.Add(run);
        command.Options.Add(tensorBoard);
        command.Options.Add(csv);
        command.SetAction(parse => CommonOptions.Run(parse, () =>
        {
            string? board = parse.GetValue(tensorBoard), csvPath = parse.GetValue(csv);
            if (board is null && csvPath is null) throw new ArgumentException("export writes nothing without --tensorboard DIR or --csv FILE.");
            Trajectory trajectory = TrajectoryJsonReader.Read(parse.GetRequiredValue(run));
            if (board is not null) Report(TrajectoryTensorBoard.Write(board, trajectory), Console.Out);
            if (csvPath is not null)
            {
                TrajectoryCsv.Write(csvPath, trajectory);
                Console.Out.WriteLine($"CSV written to {csvPath}");
            }
            return ExitCodes.Success;
        }));
        return command;
    }

    /// <summary>The <c>--tensorboard DIR</c> option, the same on <c>export</c> and <c>trajectory</c>.</summary>
    public static Option<string?> TensorBoardOption() => new("--tensorboard")
    {
        Description = $"Write a TensorBoard event file ({TrajectoryTensorBoard.FileName}) into this folder: one scalar per layer and metric at each step, tagged spectral/LAYER/METRIC (cheap tier: spectral_cheap/...), the loop's scalars as scalars/NAME. It replaces the folder's earlier export.",
    };

    /// <summary>Where the file went and what it holds; the undefined values it left out are counted, never dropped silently.</summary>
    public static void Report(TensorBoardExport export, TextWriter output)
    {
        output.WriteLine($"TensorBoard event file written to {export.Path} ({export.Steps} steps, {export.Values} values)");
        if (export.Undefined > 0)
            output.WriteLine($"note: {export.Undefined} undefined metric values (null in the trajectory, e.g. alpha of a layer too small to fit) are not in it: gaps in the curves.");
    }
}
