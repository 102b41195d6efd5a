using SpectralGate.Engine.Baselines;
using SpectralGate.Engine.Errors;
using SpectralGate.Engine.Gate;
using SpectralGate.Engine.Runtime;
using SpectralGate.Engine.Trajectories;

namespace SpectralGate.Cli.Commands;

/// <summary>
/// <c>spectralgate check RUN.trajectory.json --baseline BASE.json</c>: the gate for training dynamics. Same codes,
/// exit codes and <c>--accept</c>/<c>--force</c>/<c>--warn</c>/<c>--tolerance</c>/<c>--sarif</c> as for a model;
/// <c>--interpolate</c> lines up runs on another step grid (log-step interpolation).
/// </summary>
internal static class TrajectoryCheck
{
    /// <summary>
    /// A trajectory is given to <c>check</c> as its JSON file; no model format is a <c>.json</c> except a sharded
    /// checkpoint's <c>*.index.json</c>, which stays a model.
    /// </summary>
    public static bool IsInput(string path) =>
        path.EndsWith(".json", StringComparison.OrdinalIgnoreCase) && !path.EndsWith(".index.json", StringComparison.OrdinalIgnoreCase);

    public sealed record Arguments(
        string TrajectoryPath, string BaselinePath, IReadOnlyList<ToleranceRule> Overrides, IReadOnlyList<string> ToleranceSpecs,
        StepMatching Steps, bool Accept, bool Force, string ForceHint, bool Warn, string? AcceptHint, string? ReportDirectory, string? SarifPath);

    public static int Run(Arguments a)
    {
        var request = new TrajectoryGateRequest
        {
            TrajectoryPath = a.TrajectoryPath,
            BaselinePath = a.BaselinePath,
            ToleranceOverrides = a.Overrides,
            Steps = a.Steps,
            WarningsOnly = a.Warn,
            AcceptHint = a.AcceptHint ?? Commands.AcceptHint.For(a.TrajectoryPath, a.BaselinePath, RecordedOptions(a)),
        };
        if (a.Accept) return Accept(request, a.Force, a.ForceHint);

        TrajectoryGateResult result = TrajectoryGateCheck.Run(request);
        foreach (var d in result.Diagnostics) Console.Out.WriteLine(NamingTheRun(d, a.TrajectoryPath));
        if (a.ReportDirectory is not null) Reports.TrajectoryGateReport.Write(a.ReportDirectory, a.TrajectoryPath, result);
        if (a.SarifPath is not null) Reports.SarifReport.Write(a.SarifPath, a.TrajectoryPath, result.Diagnostics.Select(d => NamingTheRun(d, a.TrajectoryPath)).ToList());
        if (result.Diagnostics.Any(d => d.Code is GateCodes.UnreadableModel or GateCodes.UnreadableBaseline)) return ExitCodes.BadInput;
        foreach (var note in result.Comparison?.Notes ?? []) Console.Out.WriteLine($"spectralgate: info: {note}.");
        if (result.HasErrors)
        {
            if (result.Comparison is { IsMatch: false } comparison)
            {
                Console.Out.Write(SpectralGate.Engine.Reports.TrajectoryComparisonTable.Render(comparison));
                Console.Out.WriteLine($"spectralgate: {comparison.Summary}.");
            }
            return ExitCodes.Differences;
        }
        var c = result.Comparison!;
        Console.Out.WriteLine($"spectralgate: {a.TrajectoryPath} matches {a.BaselinePath} ({c.PointsCompared} points over {c.StepsCompared} steps{(result.Diagnostics.Count > 0 ? $", {result.Diagnostics.Count} warnings" : "")}).");
        return ExitCodes.Success;
    }

    private static int Accept(TrajectoryGateRequest request, bool force, string forceHint)
    {
        if (ContinuousIntegration.IsDetected && !force)
        {
            Console.Out.WriteLine(new GateDiagnostic(request.BaselinePath, 1, 1, true, GateCodes.AcceptRefusedOnCi,
                $"refusing to accept the trajectory baseline of '{request.TrajectoryPath}' on a CI machine; accept locally and commit it, or {forceHint}."));
            return ExitCodes.BadInput;
        }
        var (trajectory, failure) = TrajectoryGateCheck.ReadTrajectory(request);
        if (trajectory is null)
        {
            Console.Out.WriteLine(failure);
            return ExitCodes.BadInput;
        }
        // As for models: overrides replace the recorded rules; without them the recorded rules are kept.
        TrajectoryBaseline? previous = null;
        IReadOnlyList<ToleranceRule> rules = request.ToleranceOverrides;
        if (File.Exists(request.BaselinePath))
        {
            try
            {
                var (old, recorded) = TrajectoryBaselineFile.Read(request.BaselinePath);
                previous = old;
                if (rules.Count == 0) rules = recorded.Rules;
            }
            catch (BaselineFormatException) { } // a broken baseline is being replaced: keep nothing from it
        }
        TrajectoryBaselineFile.Write(request.BaselinePath, TrajectoryBaseline.Of(trajectory), TolerancePolicy.FromRules(rules));
        Console.Out.WriteLine($"spectralgate: accepted {request.TrajectoryPath} as {request.BaselinePath} ({trajectory.Records.Count} records, {trajectory.LayerNames().Count} layers).");
        if (previous is { Seeds: > 1 })
            Console.Out.WriteLine($"spectralgate: info: it replaced a {TrajectoryBands.Describe(previous.Method)} baseline of {previous.Seeds} seeds with this one run; rebuild a multi-seed one with spectralgate baseline-from.");
        return ExitCodes.Success;
    }

    private static GateDiagnostic NamingTheRun(GateDiagnostic d, string path) =>
        d.File == path || d.Message.Contains($"(trajectory '{path}')", StringComparison.Ordinal) ? d : d with { Message = $"{d.Message} (trajectory '{path}')" };

    private static IEnumerable<string> RecordedOptions(Arguments a)
    {
        foreach (string spec in a.ToleranceSpecs) { yield return "--tolerance"; yield return spec; }
        if (a.Steps == StepMatching.Interpolated) yield return "--interpolate";
    }
}
