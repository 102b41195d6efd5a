using System.Reflection;
using System.Runtime.CompilerServices;
using NUnit.Framework;
using SpectralAssert.Assertions;
using SpectralGate.Engine.Baselines;
using SpectralGate.Engine.Errors;
using SpectralGate.Engine.Reports;
using SpectralGate.Engine.Signatures;

using SpectralGate.Engine.Runtime;
using SpectralGate.Engine.Snapshots;
namespace SpectralAssert.Snapshots;

/// <summary>
/// Snapshot testing of spectral signatures, the Verify way: the first run writes
/// <c>{TestClass}.{TestMethod}.spectral.received.json</c> beside the test and fails; accepting it
/// (<c>spectralgate accept</c>) makes it the <c>.verified.json</c> baseline; later runs compare metric by metric
/// within tolerances and fail with a table when something moved.
/// </summary>
public static class SpectralSnapshot
{
    /// <summary>Verifies the signature of <paramref name="model"/> (TorchSharp module, checkpoint path or signature) against its baseline.</summary>
    public static void Verify(object model, SnapshotSettings? settings = null, [CallerFilePath] string sourceFile = "")
    {
        settings ??= SpectralSettings.Freeze();
        var test = TestContext.CurrentContext.Test;
        string className = SnapshotClassName.FromTestClass(test.ClassName);
        string directory = settings.Directory ?? SnapshotPaths.ResolveSourceDirectory(sourceFile, Assembly.GetCallingAssembly());
        SnapshotPaths paths = settings.FileName is null
            ? SnapshotPaths.For(directory, className, test.MethodName ?? test.Name, test.Arguments)
            : new SnapshotPaths(Path.Combine(directory, settings.FileName + SnapshotPaths.VerifiedSuffix), Path.Combine(directory, settings.FileName + SnapshotPaths.ReceivedSuffix));

        SpectralSignature actual = SignatureInputs.Resolve(model, settings.Signature);
        string? intermediateDirectory = SnapshotConventions.IntermediateDirectory(Assembly.GetCallingAssembly());
        if (intermediateDirectory is not null) UsedSnapshotLedger.Record(intermediateDirectory, paths.Verified);
        string? failure = Check(actual, paths, settings, intermediateDirectory);
        if (failure is not null) Assert.Fail(failure);
    }

    /// <summary>The comparison step, without NUnit: null when the snapshot matches, else the failure message.</summary>
    public static string? Check(SpectralSignature actual, SnapshotPaths paths, SnapshotSettings settings, string? intermediateDirectory) =>
        new SnapshotCheck<(SpectralSignature Baseline, RecordedTolerances Recorded)>
        {
            Paths = paths,
            IntermediateDirectory = intermediateDirectory,
            BaselineNoun = "spectral baseline",
            ResultNoun = "signature",
            ResultSize = $"{actual.Layers.Count} layers",
            ReceivedDescription = "received spectral signature",
            Read = BaselineFile.ReadRecorded,
            Compare = read =>
            {
                // The settings' rules are the code's overrides, on top of what the baseline recorded (as check, diff and the gate do).
                var comparison = SignatureComparer.Compare(read.Baseline, actual, read.Recorded.Resolve(settings.Tolerances.Rules));
                return comparison.IsMatch
                    ? null
                    : new SnapshotDifference($"Spectral signature differs from {paths.Verified}:\n"
                        + $"{comparison.Findings.Count} differences in {comparison.LayersWithFindings} layers; {comparison.LayersMatching} of {read.Baseline.Layers.Count} baseline layers match.\n"
                        + ComparisonTable.Render(comparison));
            },
            AcceptedBytes = verified => BaselineFile.BytesFor(verified, actual, settings.Tolerances),
            WriteReceived = received => BaselineFile.Write(received, actual, settings.Tolerances),
        }.Run();
}
