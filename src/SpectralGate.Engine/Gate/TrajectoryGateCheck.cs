using System.Text;
using SpectralGate.Engine.Baselines;
using SpectralGate.Engine.Errors;
using SpectralGate.Engine.Signatures;
using SpectralGate.Engine.Trajectories;

namespace SpectralGate.Engine.Gate;

/// <summary>
/// The spectral gate for training dynamics: a trajectory file against its baseline trajectory, every problem a
/// located diagnostic with the signature gate's codes. A series that left its band is SG1001 (one per layer and
/// metric, naming its first step); a baseline step the run lacks, a step outside the baseline's range, a layer added,
/// removed or reshaped are SG1002; other settings SG1007; no baseline SG1003; an unreadable trajectory SG1004 and an
/// unreadable baseline SG1005. Never throws for bad input.
/// </summary>
public static class TrajectoryGateCheck
{
    public static TrajectoryGateResult Run(TrajectoryGateRequest request)
    {
        var (trajectory, failure) = ReadTrajectory(request);
        if (trajectory is null) return new TrajectoryGateResult([failure!], null, null);

        if (!File.Exists(request.BaselinePath))
            return new TrajectoryGateResult([new GateDiagnostic(request.TrajectoryPath, 1, 1, true, GateCodes.MissingBaseline,
                $"no trajectory baseline at '{request.BaselinePath}'. To create it: {request.AcceptHint}.")], trajectory, null);

        TrajectoryBaseline baseline;
        RecordedTolerances recorded;
        byte[] bytes;
        try
        {
            bytes = SignatureJson.ReadBytes(request.BaselinePath, TrajectoryJson.MaxFileSize);
            (baseline, recorded) = TrajectoryBaselineFile.Parse(request.BaselinePath, bytes);
        }
        catch (BaselineFormatException e)
        {
            return new TrajectoryGateResult([new GateDiagnostic(request.BaselinePath, 1, 1, true, GateCodes.UnreadableBaseline,
                $"{e.Problem}{(e.Layer is null ? "" : $" (layer '{e.Layer}')")} To replace it with this run: {request.AcceptHint}.")], trajectory, null);
        }

        var comparison = TrajectoryComparer.Compare(baseline, trajectory, recorded.Resolve(request.ToleranceOverrides), request.Steps);
        string[] lines = Encoding.UTF8.GetString(bytes).Split('\n');
        var diagnostics = BaselineWarnings.Of(bytes, TrajectoryBaselineFile.TopLevelKeys)
            .Select(w => new GateDiagnostic(request.BaselinePath, 1, 1, false, GateCodes.BaselineNotUnderstood, w))
            .Concat(comparison.Findings.Where(f => f.Kind != FindingKind.Regression).Select(f => ToDiagnostic(f, request, lines)))
            .Concat(comparison.RegressionsBySeries.Select(s => ToDiagnostic(s, request, lines)))
            .ToList();
        return new TrajectoryGateResult(diagnostics, trajectory, comparison);
    }

    /// <summary>The run, or the SG1004 diagnostic that says why it cannot be read (not found, not a trajectory, corrupt).</summary>
    public static (Trajectory? Trajectory, GateDiagnostic? Failure) ReadTrajectory(TrajectoryGateRequest request)
    {
        if (!File.Exists(request.TrajectoryPath))
            return (null, new GateDiagnostic(request.TrajectoryPath, 1, 1, true, GateCodes.UnreadableModel,
                $"file not found: trajectory '{request.TrajectoryPath}' (baseline '{request.BaselinePath}')"));
        try
        {
            return (TrajectoryJsonReader.Read(request.TrajectoryPath), null);
        }
        catch (BaselineFormatException e)
        {
            return (null, new GateDiagnostic(request.TrajectoryPath, 1, 1, true, GateCodes.UnreadableModel,
                $"not a readable trajectory: {e.Problem}{(e.Layer is null ? "" : $" (layer '{e.Layer}')")}"));
        }
    }

    private static GateDiagnostic ToDiagnostic(TrajectoryFinding f, TrajectoryGateRequest request, string[] lines)
    {
        var (line, column) = f.Kind == FindingKind.SettingsChanged ? (1, 1) : TrajectoryBaselineLocator.Find(lines, f.Layer, f.Step);
        string code = f.Kind == FindingKind.SettingsChanged ? GateCodes.SettingsChanged : GateCodes.StructuralChange;
        string what = f.Kind == FindingKind.SettingsChanged ? f.Message : $"{f.Where}: {f.Message}";
        return new GateDiagnostic(request.BaselinePath, line, column, true, code, $"{what}. To accept: {request.AcceptHint}.");
    }

    private static GateDiagnostic ToDiagnostic(TrajectorySeriesFindings series, TrajectoryGateRequest request, string[] lines)
    {
        var (line, column) = TrajectoryBaselineLocator.Find(lines, series.Series.Layer, series.First.Step);
        return new GateDiagnostic(request.BaselinePath, line, column, !request.WarningsOnly, GateCodes.Regression,
            $"{series.Headline}. To accept: {request.AcceptHint}.");
    }
}
