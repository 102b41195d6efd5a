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
        var include = CommonOptions.Include();
        var exclude = CommonOptions.Exclude();
        var device = CommonOptions.Device();
        var precision = CommonOptions.Precision();
        var sketch = CommonOptions.Sketch();
        var shard = CommonOptions.Shard();
        var mpFit = CommonOptions.MpFit();
        var convNorm = CommonOptions.ConvNorm();

        var command = new Command("inspect", "Compute a model's spectral signature and print it as a table per layer.");
        command.Arguments.Add(model);
        command.Options.Add(json);
        command.Options.Add(include);
        command.Options.Add(exclude);
        command.Options.Add(device);
        command.Options.Add(precision);
        command.Options.Add(sketch);
        command.Options.Add(shard);
        command.Options.Add(mpFit);
        command.Options.Add(convNorm);
        command.SetAction(parse => CommonOptions.Run(parse, () =>
        {
            var options = CommonOptions.ToSignatureOptions(parse.GetValue(include), parse.GetValue(exclude), parse.GetValue(device)!, parse.GetValue(precision)!,
                sketch: parse.GetValue(sketch), shard: parse.GetValue(shard), mpFit: parse.GetValue(mpFit)!, convNorm: parse.GetValue(convNorm)!);
            string path = parse.GetRequiredValue(model);
            SpectralSignature signature;
            if (SpectralGate.Engine.Deltas.LoraAdapter.IsAdapterFolder(path))
            {
                using var adapter = SpectralGate.Engine.Deltas.LoraAdapter.Open(path);
                signature = SpectralGate.Engine.Deltas.AdapterSpectra.Compute(adapter, options);
            }
            else
            {
                using var source = ModelSources.Open(path);
                signature = ProgressDisplay.Run(source, options);
            }

            string? jsonPath = parse.GetValue(json);
            if (jsonPath == "-")
            {
                Console.Out.Write(SignatureJson.ToText(signature));
                return ExitCodes.Success;
            }
            LayerTable.Write(signature, Console.Out);
            TableLegend.Write(signature, LayerTable.Columns, parse.GetValue(CommonOptions.Verbose), Console.Out);
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
