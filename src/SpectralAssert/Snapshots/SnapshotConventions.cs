using System.Reflection;
using NUnit.Framework;
using SpectralGate.Engine.Runtime;
using SpectralGate.Engine.Snapshots;

namespace SpectralAssert.Snapshots;

/// <summary>What signature and trajectory snapshots share: when to auto-accept, the received file's bookkeeping, the hints.</summary>
internal static class SnapshotConventions
{
    /// <summary>Locally with <see cref="SnapshotSettings.AutoAcceptVariable"/> set; never on CI.</summary>
    public static bool AutoAccept =>
        !ContinuousIntegration.IsDetected && Environment.GetEnvironmentVariable(SnapshotSettings.AutoAcceptVariable) is { } value
        && (value == "1" || value.Equals("true", StringComparison.OrdinalIgnoreCase));

    /// <summary>The test project's <c>obj/</c> folder, recorded in the test assembly by SpectralAssert's build props.</summary>
    public static string? IntermediateDirectory(Assembly testAssembly) =>
        testAssembly.GetCustomAttributes<AssemblyMetadataAttribute>().FirstOrDefault(a => a.Key == "SpectralGate.IntermediateDirectory")?.Value;

    /// <summary>After a received file was written: mapped for <c>accept</c> locally, attached to the test result on CI.</summary>
    public static void Received(SnapshotPaths paths, string? intermediateDirectory, string description)
    {
        if (intermediateDirectory is not null && !ContinuousIntegration.IsDetected) ReceivedMap.Record(intermediateDirectory, paths);
        if (ContinuousIntegration.IsDetected && TestContext.CurrentContext.Test.ID is not null)
        {
            try { TestContext.AddTestAttachment(paths.Received, description); }
            catch (Exception e) when (e is InvalidOperationException or FileNotFoundException) { }
        }
    }

    public static void Forget(SnapshotPaths paths, string? intermediateDirectory)
    {
        if (intermediateDirectory is not null) ReceivedMap.Forget(intermediateDirectory, paths);
    }

    public static string AcceptHint(SnapshotPaths paths) =>
        $"To accept: spectralgate accept \"{paths.Received}\"  (or rename it to {Path.GetFileName(paths.Verified)}; locally, {SnapshotSettings.AutoAcceptVariable}=1 accepts on the next run)\n";

    /// <summary>What a test says when another process accepted different bytes for its snapshot at the same time.</summary>
    public static string ConflictMessage(SnapshotPaths paths) =>
        $"Two processes accepted different results for one snapshot at once ({SnapshotSettings.AutoAcceptVariable}=1):\n"
            + $"  {paths.Verified} holds the other process's,\n"
            + $"  {paths.Received} holds this process's.\n"
            + "The same test computed different numbers in two processes (different models or settings per target framework or job?). "
            + "Compare the two files (for signatures: spectralgate diff \"" + paths.Verified + "\" \"" + paths.Received + "\").\n";
}
