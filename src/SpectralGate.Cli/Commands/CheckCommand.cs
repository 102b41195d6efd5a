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
        var model = new Argument<string>("model") { Description = "The model file to check, or a trajectory JSON (spectralgate trajectory --json) checked against a trajectory baseline." };
        var baseline = new Option<string>("--baseline") { Description = "The baseline JSON (written by --accept).", Required = true };
        var accept = new Option<bool>("--accept") { Description = "Write the current signature as the baseline (refused on CI unless --force)." };
        var force = new Option<bool>("--force") { Description = "Allow --accept on a CI machine." };
        var forceHint = new Option<string>("--force-hint") { Description = "How the refusal on CI tells people to force accepting.", DefaultValueFactory = _ => "pass --force" };
        var warn = new Option<bool>("--warn") { Description = "Report regressions as warnings (structural changes stay errors)." };
        var hint = new Option<string?>("--accept-hint") { Description = "How the messages tell people to accept a change (default: the exact spectralgate check ... --accept command)." };
        var report = new Option<string?>("--report") { Description = "Write a Markdown and HTML report with ESD plots into this folder (and append it to $GITHUB_STEP_SUMMARY on GitHub Actions)." };
        var sarif = new Option<string?>("--sarif") { Description = "Write the findings as a SARIF 2.1.0 log (one run per model; other models' runs in the file are kept)." };
        var tolerances = ToleranceOption.Create();
        var computation = new SignatureOptionSet();
        var failOnEquivalent = EquivalentChangeOption.Create();
        var interpolate = new Option<bool>("--interpolate")
        {
            Description = "Trajectory input only: compare each step of the run with the baseline interpolated on log-step (for runs recorded on another step grid) instead of requiring the baseline's steps.",
        };

        var command = new Command("check", "Check a model (or a trajectory JSON of a training run) against its spectral baseline; exit code 1 on regressions, 2 on unreadable input, 3 when it cannot run on this machine.");
        command.Arguments.Add(model);
        foreach (Option o in new Option[] { baseline, accept, force, forceHint, warn, hint, report, sarif, tolerances, failOnEquivalent, interpolate }) command.Options.Add(o);
        computation.AddTo(command);
        command.SetAction(parse => CommonOptions.Run(parse, () =>
        {
            string modelPath = parse.GetRequiredValue(model);
            string baselinePath = parse.GetRequiredValue(baseline);
            var overrides = ToleranceOption.Parse(parse.GetValue(tolerances)).Rules;
            if (TrajectoryCheck.IsInput(modelPath))
            {
                // A trajectory's spectra were computed when it was recorded: options that compute them would be ignored.
                var refused = computation.Given(parse).Concat(parse.GetResult(failOnEquivalent) is { Implicit: false } ? [failOnEquivalent.Name] : []).ToList();
                if (refused.Count > 0)
                    throw new ArgumentException($"{string.Join(", ", refused)} do{(refused.Count == 1 ? "es" : "")} not apply to a trajectory ('{modelPath}'): its spectra were computed when it was recorded.");
                return TrajectoryCheck.Run(new TrajectoryCheck.Arguments(modelPath, baselinePath, overrides, parse.GetValue(tolerances) ?? [],
                    parse.GetValue(interpolate) ? StepMatching.Interpolated : StepMatching.Recorded, parse.GetValue(accept), parse.GetValue(force),
                    parse.GetValue(forceHint)!, parse.GetValue(warn), parse.GetValue(hint), parse.GetValue(report), parse.GetValue(sarif)));
            }
            if (parse.GetValue(interpolate))
                throw new ArgumentException("--interpolate applies to a trajectory input (a *.json), not to a model.");
            var spectra = new Dictionary<string, double[]>(StringComparer.Ordinal);
            string? reportDirectory = parse.GetValue(report);
            var signatureOptions = computation.Bind(parse, reportDirectory is null ? null : (layer, eigenvalues) => spectra[layer] = eigenvalues);
            GateRequest NewRequest(IProgress<SpectralGate.Engine.Signatures.SignatureProgress>? progress) => new()
            {
                ModelPath = modelPath,
                BaselinePath = baselinePath,
                Signature = signatureOptions,
                ToleranceOverrides = overrides,
                WarningsOnly = parse.GetValue(warn),
                FailOnEquivalentChange = parse.GetValue(failOnEquivalent),
                AcceptHint = parse.GetValue(hint) ?? AcceptHint.For(modelPath, baselinePath, RecordedOptions(parse, computation, tolerances)),
                Progress = progress,
            };
            var request = NewRequest(null);

            if (parse.GetValue(accept))
                return Accept(request, parse.GetValue(force), parse.GetValue(forceHint)!);

            GateResult result = Rendering.ProgressDisplay.Track(null, progress => GateCheck.Run(NewRequest(progress)));
            foreach (var d in result.Diagnostics) Console.Out.WriteLine(NamingTheModel(d, modelPath));
            if (reportDirectory is not null) Reports.GateReport.Write(reportDirectory, modelPath, result, spectra);
            if (parse.GetValue(sarif) is { } sarifPath) Reports.SarifReport.Write(sarifPath, modelPath, result.Diagnostics.Select(d => NamingTheModel(d, modelPath)).ToList());
            if (result.Diagnostics.Any(d => GateCodes.IsEnvironmentFailure(d.Code))) return ExitCodes.CannotRun;
            if (result.Diagnostics.Any(d => d.Code is GateCodes.UnreadableModel or GateCodes.UnreadableBaseline or GateCodes.NothingAnalysed)) return ExitCodes.BadInput;
            if (result.HasErrors)
            {
                if (result.Comparison is { IsMatch: false } comparison)
                {
                    Console.Out.Write(SpectralGate.Engine.Reports.ComparisonTable.Render(comparison));
                    Console.Out.WriteLine($"spectralgate: {comparison.Summary}.");
                }
                return ExitCodes.Differences;
            }
            foreach (var note in result.Comparison?.Notes ?? []) Console.Out.WriteLine($"spectralgate: info: {note.Message}.");
            if (result.Comparison is { SpectrallyEquivalentLayers.Count: > 0 } equivalent && !parse.GetValue(failOnEquivalent))
                Console.Out.WriteLine($"spectralgate: info: {SpectralGate.Engine.Reports.LayerChangeSummary.Line(equivalent)}; --fail-on-equivalent-change (SpectralModel metadata FailOnEquivalentChange) fails on them.");
            Console.Out.WriteLine($"spectralgate: {modelPath} matches {baselinePath} ({result.Comparison?.LayersCompared ?? 0} layers{(result.Diagnostics.Count > 0 ? $", {result.Diagnostics.Count} warnings" : "")}).");
            return ExitCodes.Success;
        }));
        return command;
    }

    private static int Accept(GateRequest request, bool force, string forceHint)
    {
        if (ContinuousIntegration.IsDetected && !force)
        {
            Console.Out.WriteLine(new GateDiagnostic(request.BaselinePath, 1, 1, true, GateCodes.AcceptRefusedOnCi,
                $"refusing to accept the spectral baseline of '{request.ModelPath}' on a CI machine; accept locally and commit it, or {forceHint}."));
            return ExitCodes.BadInput;
        }
        var (signature, failure) = GateSignature.Compute(request);
        if (signature is null)
        {
            Console.Out.WriteLine(failure);
            return GateCodes.IsEnvironmentFailure(failure!.Code) ? ExitCodes.CannotRun : ExitCodes.BadInput;
        }
        // Overrides replace the recorded rules (never appended), so the same command twice writes the same bytes;
        // without overrides the recorded rules are kept.
        var rules = request.ToleranceOverrides.Count > 0 ? request.ToleranceOverrides
            : File.Exists(request.BaselinePath) ? TryReadRules(request.BaselinePath) : [];
        var policy = TolerancePolicy.FromRules(rules);
        BaselineFile.Write(request.BaselinePath, signature, policy);
        Console.Out.WriteLine($"spectralgate: accepted {request.ModelPath} as {request.BaselinePath} ({signature.Layers.Count} layers).");
        return ExitCodes.Success;
    }

    /// <summary>A build log holds the diagnostics of many models; one located in a baseline says which model it is about.</summary>
    private static GateDiagnostic NamingTheModel(GateDiagnostic d, string modelPath) =>
        d.File == modelPath || d.Message.Contains($"(model '{modelPath}')", StringComparison.Ordinal) ? d : d with { Message = $"{d.Message} (model '{modelPath}')" };

    /// <summary>The options given that change what --accept records, in the order the hint repeats them.</summary>
    private static IEnumerable<string> RecordedOptions(ParseResult parse, SignatureOptionSet computation, Option<string[]> tolerances)
    {
        foreach (string option in computation.Recorded(parse)) yield return option;
        foreach (string spec in parse.GetValue(tolerances) ?? []) { yield return "--tolerance"; yield return spec; }
    }

    private static IReadOnlyList<ToleranceRule> TryReadRules(string path)
    {
        try { return BaselineFile.Read(path).Rules; }
        catch (BaselineFormatException) { return []; } // a broken baseline is being replaced: keep nothing from it
    }
}
