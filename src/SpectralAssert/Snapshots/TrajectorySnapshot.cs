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
    public static string? Check(Trajectory actual, SnapshotPaths paths, SnapshotSettings settings, string? intermediateDirectory) =>
        new SnapshotCheck<(TrajectoryBaseline Baseline, RecordedTolerances Recorded)>
        {
            Paths = paths,
            IntermediateDirectory = intermediateDirectory,
            BaselineNoun = "trajectory baseline",
            ResultNoun = "trajectory",
            ResultSize = $"{actual.Records.Count} records, {actual.LayerNames().Count} layers",
            ReceivedDescription = "received trajectory",
            Read = TrajectoryBaselineFile.Read,
            Compare = read =>
            {
                var comparison = TrajectoryComparer.Compare(read.Baseline, actual, read.Recorded.Resolve(settings.Tolerances.Rules), settings.Steps);
                if (comparison.IsMatch) return null;
                string seeds = read.Baseline.Seeds > 1
                    ? $"The baseline holds a {TrajectoryBands.Describe(read.Baseline.Method)} band of {read.Baseline.Seeds} seeds; accepting the received run replaces it with this one run (rebuild it with spectralgate baseline-from).\n"
                    : "";
                return new SnapshotDifference(
                    $"Trajectory differs from {paths.Verified}:\n"
                        + $"{comparison.Summary}.\n"
                        + TrajectoryComparisonTable.Render(comparison)
                        + string.Concat(comparison.Notes.Select(n => $"  note: {n}\n")),
                    seeds);
            },
            AcceptedBytes = verified => TrajectoryBaselineFile.BytesFor(verified, TrajectoryBaseline.Of(actual), settings.Tolerances),
            WriteReceived = received => TrajectoryBaselineFile.Write(received, TrajectoryBaseline.Of(actual), settings.Tolerances),
        }.Run();
}
