using System.Reflection;
using System.Runtime.CompilerServices;
using NUnit.Framework;
using SpectralGate.Engine.Baselines;
using SpectralGate.Engine.Errors;
using SpectralGate.Engine.Reports;
using SpectralGate.Engine.Runtime;
using SpectralGate.Engine.Snapshots;
using SpectralGate.Engine.Trajectories;

namespace SpectralAssert.Snapshots;

/// <summary>
/// Snapshot testing of training dynamics, as <see cref="SpectralSnapshot"/> does for one model: the first run writes
/// <c>{TestClass}.{TestMethod}.trajectory.received.json</c> beside the test and fails; <c>spectralgate accept</c>
/// makes it the <c>.trajectory.verified.json</c> baseline (or <c>spectralgate baseline-from</c> builds one from
/// several seeds); later runs compare every (layer, metric, step) with the baseline's band and fail with a table
/// naming the layer, metric and first step that left it.
/// </summary>
public static class TrajectorySnapshot
{
    public static void Verify(Trajectory trajectory, SnapshotSettings? settings = null, [CallerFilePath] string sourceFile = "")
    {
        ArgumentNullException.ThrowIfNull(trajectory);
        settings ??= SpectralSettings.Defaults;
        var test = TestContext.CurrentContext.Test;
        string directory = settings.Directory ?? SnapshotPaths.ResolveSourceDirectory(sourceFile, Assembly.GetCallingAssembly());
        SnapshotPaths paths = settings.FileName is null
            ? SnapshotPaths.ForTrajectory(directory, SnapshotClassName.FromTestClass(test.ClassName), test.MethodName ?? test.Name, test.Arguments)
            : SnapshotPaths.Named(directory, settings.FileName, trajectory: true);

        string? intermediateDirectory = SnapshotConventions.IntermediateDirectory(Assembly.GetCallingAssembly());
        if (intermediateDirectory is not null) UsedSnapshotLedger.Record(intermediateDirectory, paths.Verified);
        string? failure = Check(trajectory, paths, settings, intermediateDirectory);
        if (failure is not null) Assert.Fail(failure);
    }

    /// <summary>The comparison step, without NUnit: null when the trajectory is within its baseline, else the failure message.</summary>
    public static string? Check(Trajectory actual, SnapshotPaths paths, SnapshotSettings settings, string? intermediateDirectory)
    {
        bool autoAccept = SnapshotConventions.AutoAccept;
        if (!File.Exists(paths.Verified))
        {
            if (autoAccept) return AutoAccept(actual, paths, settings, intermediateDirectory, replacingBaseline: false);
            WriteReceived(actual, paths, settings, intermediateDirectory);
            return $"No trajectory baseline yet: {paths.Verified}\n"
                + $"Wrote the trajectory to {paths.Received} ({actual.Records.Count} records, {actual.LayerNames().Count} layers).\n"
                + SnapshotConventions.AcceptHint(paths);
        }

        TrajectoryBaseline baseline;
        RecordedTolerances recorded;
        try
        {
            (baseline, recorded) = TrajectoryBaselineFile.Read(paths.Verified);
        }
        catch (BaselineFormatException e)
        {
            WriteReceived(actual, paths, settings, intermediateDirectory);
            return $"The trajectory baseline cannot be read: {e.Message}\nWrote the current trajectory to {paths.Received}.\n" + SnapshotConventions.AcceptHint(paths);
        }

        var comparison = TrajectoryComparer.Compare(baseline, actual, recorded.Resolve(settings.Tolerances.Rules), settings.Steps);
        if (comparison.IsMatch)
        {
            if (File.Exists(paths.Received)) File.Delete(paths.Received);
            SnapshotConventions.Forget(paths, intermediateDirectory);
            return null;
        }

        if (autoAccept) return AutoAccept(actual, paths, settings, intermediateDirectory, replacingBaseline: true);
        WriteReceived(actual, paths, settings, intermediateDirectory);
        string seeds = baseline.Seeds > 1
            ? $"The baseline holds a {TrajectoryBands.Describe(baseline.Method)} band of {baseline.Seeds} seeds; accepting the received run replaces it with this one run (rebuild it with spectralgate baseline-from).\n"
            : "";
        return $"Trajectory differs from {paths.Verified}:\n"
            + $"{comparison.Summary}.\n"
            + TrajectoryComparisonTable.Render(comparison)
            + string.Concat(comparison.Notes.Select(n => $"  note: {n}\n"))
            + $"Received: {paths.Received}\n"
            + seeds
            + SnapshotConventions.AcceptHint(paths);
    }

    /// <summary>As <see cref="SpectralSnapshot"/>'s auto-accept: whole bytes straight to the verified file, a conflict with another process's named.</summary>
    private static string? AutoAccept(Trajectory actual, SnapshotPaths paths, SnapshotSettings settings, string? intermediateDirectory, bool replacingBaseline)
    {
        byte[] bytes = TrajectoryBaselineFile.BytesFor(paths.Verified, TrajectoryBaseline.Of(actual), settings.Tolerances);
        if (SnapshotAcceptance.Publish(paths, bytes, replacingBaseline) != SnapshotPublication.Conflict)
        {
            SnapshotConventions.Forget(paths, intermediateDirectory);
            return null;
        }
        WriteReceived(actual, paths, settings, intermediateDirectory);
        return SnapshotConventions.ConflictMessage(paths);
    }

    private static void WriteReceived(Trajectory actual, SnapshotPaths paths, SnapshotSettings settings, string? intermediateDirectory)
    {
        TrajectoryBaselineFile.Write(paths.Received, TrajectoryBaseline.Of(actual), settings.Tolerances);
        SnapshotConventions.Received(paths, intermediateDirectory, "received trajectory");
    }
}
