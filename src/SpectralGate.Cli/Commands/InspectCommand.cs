using System.CommandLine;
using SpectralGate.Engine.Signatures;
using SpectralGate.Engine.Sources;
using SpectralGate.Cli.Rendering;

namespace SpectralGate.Cli.Commands;

/// <summary><c>spectralgate inspect MODEL</c>: the per-layer table, and the signature JSON on request.</summary>
internal static class InspectCommand
{
    public static Command Create()
    {
        var model = new Argument<string>("model") { Description = "Model file: .safetensors, .safetensors.index.json, .onnx, a TorchSharp Module.save file, or a PEFT LoRA adapter folder." };
        var json = new Option<string?>("--json") { Description = "Write the signature JSON to this file ('-' for standard output)." };
        var report = new Option<string?>("--report") { Description = "Write a Markdown and HTML report with an ESD plot per layer into this folder (as check --report, with no baseline)." };
        var computation = new SignatureOptionSet(withShard: true);

        var command = new Command("inspect", "Compute a model's spectral signature and print it as a table per layer.");
        command.Arguments.Add(model);
        command.Options.Add(json);
        command.Options.Add(report);
        computation.AddTo(command);
        command.SetAction(parse => CommonOptions.Run(parse, () =>
        {
            string? reportDirectory = parse.GetValue(report);
            var spectra = new Dictionary<string, double[]>(StringComparer.Ordinal);
            var options = computation.Bind(parse, reportDirectory is null ? null : (layer, eigenvalues) => spectra[layer] = eigenvalues);
            string path = parse.GetRequiredValue(model);
            SpectralSignature signature;
            if (SpectralGate.Engine.Deltas.LoraAdapter.IsAdapter(path))
            {
                using var adapter = SpectralGate.Engine.Deltas.LoraAdapter.Open(path);
                signature = SpectralGate.Engine.Deltas.AdapterSpectra.Compute(adapter, options);
            }
            else
            {
                using var source = ModelSources.Open(path);
                signature = ProgressDisplay.Run(source, options);
            }

            if (reportDirectory is not null) Reports.GateReport.WriteInspection(reportDirectory, path, signature, spectra);
            string? jsonPath = parse.GetValue(json);
            if (jsonPath == "-")
            {
                Console.Out.Write(SignatureJson.ToText(signature));
                return ExitCodes.Success;
            }
            LayerTable.Write(signature, Console.Out);
            TableLegend.Write(signature, LayerTable.ColumnsFor(signature), parse.GetValue(CommonOptions.Verbose), Console.Out);
            if (jsonPath is not null)
            {
                SignatureJson.Write(jsonPath, signature);
                Console.Out.WriteLine($"Signature written to {jsonPath}");
            }
            return ExitCodes.Success;
        }));
        return command;
    }
}
