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
    public static string? Check(SpectralSignature actual, SnapshotPaths paths, SnapshotSettings settings, string? intermediateDirectory)
    {
        bool autoAccept = SnapshotConventions.AutoAccept;
        if (!File.Exists(paths.Verified))
        {
            if (autoAccept) return AutoAccept(actual, paths, settings, intermediateDirectory, replacingBaseline: false);
            WriteReceived(actual, paths, settings, intermediateDirectory);
            return $"No spectral baseline yet: {paths.Verified}\n"
                + $"Wrote the signature to {paths.Received} ({actual.Layers.Count} layers).\n"
                + SnapshotConventions.AcceptHint(paths);
        }

        SpectralSignature baseline;
        RecordedTolerances recorded;
        try
        {
            (baseline, recorded) = BaselineFile.ReadRecorded(paths.Verified);
        }
        catch (BaselineFormatException e)
        {
            WriteReceived(actual, paths, settings, intermediateDirectory);
            return $"The spectral baseline cannot be read: {e.Message}\nWrote the current signature to {paths.Received}.\n" + SnapshotConventions.AcceptHint(paths);
        }

        // The settings' rules are the code's overrides, on top of what the baseline recorded (as check, diff and the gate do).
        var comparison = SignatureComparer.Compare(baseline, actual, recorded.Resolve(settings.Tolerances.Rules));
        if (comparison.IsMatch)
        {
            if (File.Exists(paths.Received)) File.Delete(paths.Received);
            SnapshotConventions.Forget(paths, intermediateDirectory);
            return null;
        }

        if (autoAccept) return AutoAccept(actual, paths, settings, intermediateDirectory, replacingBaseline: true);
        WriteReceived(actual, paths, settings, intermediateDirectory);
        return $"Spectral signature differs from {paths.Verified}:\n"
            + $"{comparison.Findings.Count} differences in {comparison.LayersWithFindings} layers; {comparison.LayersMatching} of {baseline.Layers.Count} baseline layers match.\n"
            + ComparisonTable.Render(comparison)
            + $"Received: {paths.Received}\n"
            + SnapshotConventions.AcceptHint(paths);
    }

    /// <summary>
    /// Accepts this process's signature straight into the verified file: null when it is there (this process's or an
    /// identical one from a process next door), the conflict's description when another process accepted different bytes.
    /// </summary>
    private static string? AutoAccept(SpectralSignature actual, SnapshotPaths paths, SnapshotSettings settings, string? intermediateDirectory, bool replacingBaseline)
    {
        byte[] bytes = BaselineFile.BytesFor(paths.Verified, actual, settings.Tolerances);
        if (SnapshotAcceptance.Publish(paths, bytes, replacingBaseline) != SnapshotPublication.Conflict)
        {
            SnapshotConventions.Forget(paths, intermediateDirectory);
            return null;
        }
        WriteReceived(actual, paths, settings, intermediateDirectory);
        return SnapshotConventions.ConflictMessage(paths);
    }

    private static void WriteReceived(SpectralSignature actual, SnapshotPaths paths, SnapshotSettings settings, string? intermediateDirectory)
    {
        BaselineFile.Write(paths.Received, actual, settings.Tolerances);
        SnapshotConventions.Received(paths, intermediateDirectory, "received spectral signature");
    }
}
