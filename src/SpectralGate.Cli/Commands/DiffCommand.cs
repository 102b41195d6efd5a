using System.CommandLine;
using SpectralGate.Engine.Baselines;
using SpectralGate.Engine.Reports;
using SpectralGate.Engine.Sources;

namespace SpectralGate.Cli.Commands;

/// <summary><c>spectralgate diff A B</c>: the comparison table between two signatures or checkpoints.</summary>
internal static class DiffCommand
{
    public static Command Create()
    {
        var a = new Argument<string>("baseline") { Description = "Reference: a signature/baseline .json or a model file." };
        var b = new Argument<string>("actual") { Description = "Compared: a signature/baseline .json or a model file." };
        var tolerances = ToleranceOption.Create();
        var computation = new SignatureOptionSet();
        var byDamage = new Option<bool>("--by-damage") { Description = "Also list every layer both have, by the largest factor its norm, rank, entropy and condition metrics moved by, most damaged first (a quantization audit)." };
        var delta = new Option<bool>("--delta") { Description = "What a fine-tune changed: per-layer metrics of W_actual - W_baseline (the actual may be a PEFT LoRA folder). Needs model files, not signatures (docs/fine-tuning.md)." };
        var failOnEquivalent = EquivalentChangeOption.Create();
        var report = new Option<string?>("--report") { Description = "With --delta: write delta.md and delta.png (per-layer bars of the relative change and ΔW's stable rank) into this folder." };
        var json = new Option<string?>("--json") { Description = "With --delta: write the delta JSON to this file ('-' for standard output)." };
        var command = new Command("diff", "Compare two signatures (or checkpoints) metric by metric within tolerances. Exit code 1 when they differ.");
        command.Arguments.Add(a);
        command.Arguments.Add(b);
        command.Options.Add(tolerances);
        computation.AddTo(command);
        command.Options.Add(byDamage);
        command.Options.Add(delta);
        command.Options.Add(json);
        command.Options.Add(failOnEquivalent);
        command.Options.Add(report);
        command.SetAction(parse => CommonOptions.Run(parse, () =>
        {
            // With two signature files nothing is computed: options that shape a computation would be silently ignored.
            if (SignatureArguments.IsSignatureFile(parse.GetRequiredValue(a)) && SignatureArguments.IsSignatureFile(parse.GetRequiredValue(b)))
            {
                string[] given = computation.Given(parse).ToArray();
                if (given.Length > 0)
                {
                    Console.Error.WriteLine($"error: {string.Join(", ", given)} cannot apply: both arguments are signature files, so no spectrum is computed. "
                        + "Pass a model file for a side to compute it with these options, or drop them.");
                    return ExitCodes.BadInput;
                }
            }
            if (parse.GetValue(delta) && computation.Given(parse).Intersect(DeltaDiff.NotApplicable).ToArray() is { Length: > 0 } ignored)
            {
                Console.Error.WriteLine($"error: {string.Join(", ", ignored)} cannot apply to --delta: a delta has no FARMS, correlation-trap, "
                    + "layer-kind, MP-fit or conv-normalisation step (docs/fine-tuning.md). Drop them, or diff two signatures instead.");
                return ExitCodes.BadInput;
            }
            var options = computation.Bind(parse);
            if (parse.GetValue(delta)) return DeltaDiff.Run(parse.GetRequiredValue(a), parse.GetRequiredValue(b), parse.GetValue(json), options, parse.GetValue(report));
            if (parse.GetValue(report) is not null) throw new ArgumentException("--report applies to --delta only (check --report writes the gate's report).");
            var (baseline, recorded) = SignatureArguments.LoadRecorded(parse.GetRequiredValue(a), options);
            var actual = SignatureArguments.Load(parse.GetRequiredValue(b), options);
            var comparison = SignatureComparer.Compare(baseline, actual, recorded.Resolve(ToleranceOption.Parse(parse.GetValue(tolerances)).Rules), parse.GetValue(failOnEquivalent));
            if (parse.GetValue(byDamage))
            {
                Console.Out.WriteLine($"Layers by damage (largest factor by which {string.Join(", ", LayerDamage.RankingMetrics)} moved):");
                var ranked = LayerDamage.Rank(baseline, actual);
                string basePath = parse.GetRequiredValue(a), actualPath = parse.GetRequiredValue(b);
                // The weight error needs both models' weights; between signatures only the spectral ranking exists.
                if (!SignatureArguments.IsSignatureFile(basePath) && !SignatureArguments.IsSignatureFile(actualPath))
                {
                    using var baseSource = ModelSources.Open(basePath);
                    using var actualSource = ModelSources.Open(actualPath);
                    ranked = LayerDamage.WithErrors(ranked, baseSource, actualSource);
                }
                Console.Out.Write(LayerDamageTable.Render(ranked));
                Console.Out.WriteLine();
            }
            string? changes = LayerChangeSummary.Line(comparison);
            if (comparison.IsMatch)
            {
                Console.Out.WriteLine($"No differences beyond tolerance ({comparison.LayersCompared} layers compared).");
                if (changes is not null) Console.Out.WriteLine(changes);
                return ExitCodes.Success;
            }
            Console.Out.WriteLine($"{comparison.Findings.Count} differences in {comparison.LayersWithFindings} layers ({comparison.LayersMatching} of {comparison.LayersCompared} compared layers match):");
            Console.Out.Write(ComparisonTable.Render(comparison, int.MaxValue));
            if (changes is not null) Console.Out.WriteLine(changes);
            return ExitCodes.Differences;
        }));
        return command;
    }
}
