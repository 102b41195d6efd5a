using System.CommandLine;
using SpectralGate.Engine.Baselines;
using SpectralGate.Engine.Reports;

namespace SpectralGate.Cli.Commands;

/// <summary><c>spectralgate diff A B</c>: the comparison table between two signatures or checkpoints.</summary>
internal static class DiffCommand
{
    public static Command Create()
    {
        var a = new Argument<string>("baseline") { Description = "Reference: a signature/baseline .json or a model file." };
        var b = new Argument<string>("actual") { Description = "Compared: a signature/baseline .json or a model file." };
        var tolerances = ToleranceOption.Create();
        var include = CommonOptions.Include();
        var exclude = CommonOptions.Exclude();
        var device = CommonOptions.Device();
        var precision = CommonOptions.Precision();
        var sketch = CommonOptions.Sketch();
        var command = new Command("diff", "Compare two signatures (or checkpoints) metric by metric within tolerances. Exit code 1 when they differ.");
        command.Arguments.Add(a);
        command.Arguments.Add(b);
        command.Options.Add(tolerances);
        command.Options.Add(include);
        command.Options.Add(exclude);
        command.Options.Add(device);
        command.Options.Add(precision);
        command.Options.Add(sketch);
        command.SetAction(parse => CommonOptions.Run(parse, () =>
        {
            var options = CommonOptions.ToSignatureOptions(parse.GetValue(include), parse.GetValue(exclude), parse.GetValue(device)!, parse.GetValue(precision)!, sketch: parse.GetValue(sketch));
            var baseline = SignatureArguments.Load(parse.GetRequiredValue(a), options);
            var actual = SignatureArguments.Load(parse.GetRequiredValue(b), options);
            var comparison = SignatureComparer.Compare(baseline, actual, ToleranceOption.Parse(parse.GetValue(tolerances)));
            if (comparison.IsMatch)
            {
                Console.Out.WriteLine($"No differences beyond tolerance ({comparison.LayersCompared} layers compared).");
                return ExitCodes.Success;
            }
            Console.Out.WriteLine($"{comparison.Findings.Count} differences in {comparison.LayersWithFindings} layers ({comparison.LayersCompared - comparison.LayersWithFindings} layers match):");
            Console.Out.Write(ComparisonTable.Render(comparison, int.MaxValue));
            return ExitCodes.Differences;
        }));
        return command;
    }
}
