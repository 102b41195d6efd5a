using System.CommandLine;
using SpectralGate.Engine.Baselines;
using SpectralGate.Engine.Errors;
using SpectralGate.Engine.Gate;
using SpectralGate.Engine.Runtime;
using SpectralGate.Engine.Snapshots;

namespace SpectralGate.Cli.Commands;

/// <summary>
/// <c>spectralgate check MODEL --baseline FILE</c>: the gate. Prints canonical <c>file(line,col): error SG1xxx: ...</c>
/// diagnostics pointing at the layer's entry in the baseline; <c>--accept</c> rewrites the baseline instead.
/// </summary>
internal static class CheckCommand
{
    public static Command Create()
    {
        var model = new Argument<string>("model") { Description = "The model file to check." };
        var baseline = new Option<string>("--baseline") { Description = "The baseline JSON (written by --accept).", Required = true };
        var accept = new Option<bool>("--accept") { Description = "Write the current signature as the baseline (refused on CI unless --force)." };
        var force = new Option<bool>("--force") { Description = "Allow --accept on a CI machine." };
        var warn = new Option<bool>("--warn") { Description = "Report regressions as warnings (structural changes stay errors)." };
        var hint = new Option<string>("--accept-hint") { Description = "How the messages tell people to accept a change.", DefaultValueFactory = _ => "spectralgate check <model> --baseline <file> --accept" };
        var report = new Option<string?>("--report") { Description = "Write a Markdown and HTML report with ESD plots into this folder (and append it to $GITHUB_STEP_SUMMARY on GitHub Actions)." };
        var tolerances = ToleranceOption.Create();
        var include = CommonOptions.Include();
        var exclude = CommonOptions.Exclude();
        var device = CommonOptions.Device();
        var precision = CommonOptions.Precision();
        var sketch = CommonOptions.Sketch();

        var command = new Command("check", "Check a model against its spectral baseline; exit code 1 on regressions, 2 on unreadable input.");
        command.Arguments.Add(model);
        foreach (Option o in new Option[] { baseline, accept, force, warn, hint, report, tolerances, include, exclude, device, precision, sketch }) command.Options.Add(o);
        command.SetAction(parse => CommonOptions.Run(parse, () =>
        {
            string modelPath = parse.GetRequiredValue(model);
            string baselinePath = parse.GetRequiredValue(baseline);
            var overrides = ToleranceOption.Parse(parse.GetValue(tolerances)).Rules;
            var spectra = new Dictionary<string, double[]>(StringComparer.Ordinal);
            string? reportDirectory = parse.GetValue(report);
            var signatureOptions = CommonOptions.ToSignatureOptions(parse.GetValue(include), parse.GetValue(exclude), parse.GetValue(device)!, parse.GetValue(precision)!,
                reportDirectory is null ? null : (layer, eigenvalues) => spectra[layer] = eigenvalues, sketch: parse.GetValue(sketch));
            var request = new GateRequest
            {
                ModelPath = modelPath,
                BaselinePath = baselinePath,
                Signature = signatureOptions,
                ToleranceOverrides = overrides,
                WarningsOnly = parse.GetValue(warn),
                AcceptHint = parse.GetValue(hint)!,
            };

            if (parse.GetValue(accept))
                return Accept(request, parse.GetValue(force));

            GateResult result = GateCheck.Run(request);
            foreach (var d in result.Diagnostics) Console.Out.WriteLine(d);
            if (reportDirectory is not null) Reports.GateReport.Write(reportDirectory, modelPath, result, spectra);
            if (result.Diagnostics.Any(d => d.Code is GateCodes.UnreadableModel or GateCodes.UnreadableBaseline)) return ExitCodes.BadInput;
            if (result.HasErrors) return ExitCodes.Differences;
            Console.Out.WriteLine($"spectralgate: {modelPath} matches {baselinePath} ({result.Comparison?.LayersCompared ?? 0} layers{(result.Diagnostics.Count > 0 ? $", {result.Diagnostics.Count} warnings" : "")}).");
            return ExitCodes.Success;
        }));
        return command;
    }

    private static int Accept(GateRequest request, bool force)
    {
        if (ContinuousIntegration.IsDetected && !force)
        {
            Console.Error.WriteLine($"error: refusing to accept a spectral baseline on a CI machine ({request.BaselinePath}); accept locally and commit it, or pass --force.");
            return ExitCodes.BadInput;
        }
        var recorded = File.Exists(request.BaselinePath) ? TryReadRules(request.BaselinePath) : [];
        var policy = TolerancePolicy.FromRules(recorded.Concat(request.ToleranceOverrides));
        using var source = SpectralGate.Engine.Sources.ModelSources.Open(request.ModelPath);
        var signature = SpectralGate.Engine.Signatures.SpectralEngine.Compute(source, request.Signature);
        BaselineFile.Write(request.BaselinePath, signature, policy);
        Console.Out.WriteLine($"spectralgate: accepted {request.ModelPath} as {request.BaselinePath} ({signature.Layers.Count} layers).");
        return ExitCodes.Success;
    }

    private static IReadOnlyList<ToleranceRule> TryReadRules(string path)
    {
        try { return BaselineFile.Read(path).Rules; }
        catch (BaselineFormatException) { return []; } // a broken baseline is being replaced: keep nothing from it
    }
}
