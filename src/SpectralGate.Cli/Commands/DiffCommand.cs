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
        var mpFit = CommonOptions.MpFit();
        var convNorm = CommonOptions.ConvNorm();
        var byDamage = new Option<bool>("--by-damage") { Description = "Also list every layer both have, by the largest factor its norm, rank, entropy and condition metrics moved by, most damaged first (a quantization audit)." };
        var delta = new Option<bool>("--delta") { Description = "What a fine-tune changed: per-layer metrics of W_actual - W_baseline (the actual may be a PEFT LoRA folder). Needs model files, not signatures (docs/fine-tuning.md)." };
        var json = new Option<string?>("--json") { Description = "With --delta: write the delta JSON to this file ('-' for standard output)." };
        var command = new Command("diff", "Compare two signatures (or checkpoints) metric by metric within tolerances. Exit code 1 when they differ.");
        command.Arguments.Add(a);
        command.Arguments.Add(b);
        command.Options.Add(tolerances);
        command.Options.Add(include);
        command.Options.Add(exclude);
        command.Options.Add(device);
        command.Options.Add(precision);
        command.Options.Add(sketch);
        command.Options.Add(mpFit);
        command.Options.Add(convNorm);
        command.Options.Add(byDamage);
        command.Options.Add(delta);
        command.Options.Add(json);
        command.SetAction(parse => CommonOptions.Run(parse, () =>
        {
            // With two signature files nothing is computed: options that shape a computation would be silently ignored.
            if (SignatureArguments.IsSignatureFile(parse.GetRequiredValue(a)) && SignatureArguments.IsSignatureFile(parse.GetRequiredValue(b)))
            {
                string[] given = new Option[] { include, exclude, device, precision, sketch, mpFit, convNorm }.Where(o => parse.GetResult(o) is { Implicit: false }).Select(o => o.Name).ToArray();
                if (given.Length > 0)
                {
                    Console.Error.WriteLine($"error: {string.Join(", ", given)} cannot apply: both arguments are signature files, so no spectrum is computed. "
                        + "Pass a model file for a side to compute it with these options, or drop them.");
                    return ExitCodes.BadInput;
                }
            }
            var options = CommonOptions.ToSignatureOptions(parse.GetValue(include), parse.GetValue(exclude), parse.GetValue(device)!, parse.GetValue(precision)!, sketch: parse.GetValue(sketch),
                mpFit: parse.GetValue(mpFit)!, convNorm: parse.GetValue(convNorm)!);
            if (parse.GetValue(delta)) return DeltaDiff.Run(parse.GetRequiredValue(a), parse.GetRequiredValue(b), parse.GetValue(json), options);
            var (baseline, recorded) = SignatureArguments.LoadRecorded(parse.GetRequiredValue(a), options);
            var actual = SignatureArguments.Load(parse.GetRequiredValue(b), options);
            var comparison = SignatureComparer.Compare(baseline, actual, recorded.Resolve(ToleranceOption.Parse(parse.GetValue(tolerances)).Rules));
            if (parse.GetValue(byDamage))
            {
                Console.Out.WriteLine($"Layers by damage (largest factor by which {string.Join(", ", LayerDamage.RankingMetrics)} moved):");
                Console.Out.Write(LayerDamageTable.Render(LayerDamage.Rank(baseline, actual)));
                Console.Out.WriteLine();
            }
            if (comparison.IsMatch)
            {
                Console.Out.WriteLine($"No differences beyond tolerance ({comparison.LayersCompared} layers compared).");
                return ExitCodes.Success;
            }
            Console.Out.WriteLine($"{comparison.Findings.Count} differences in {comparison.LayersWithFindings} layers ({comparison.LayersMatching} of {comparison.LayersCompared} compared layers match):");
            Console.Out.Write(ComparisonTable.Render(comparison, int.MaxValue));
            return ExitCodes.Differences;
        }));
        return command;
    }
}
