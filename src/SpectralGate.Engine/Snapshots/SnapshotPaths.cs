using System.Reflection;
using System.Text;

namespace SpectralGate.Engine.Snapshots;

/// <summary>
/// Verify's naming: <c>{Directory}/{TestClass}.{TestMethod}[_{arguments}].spectral.verified.json</c>, beside the test
/// source file, with a <c>.received.</c> twin; a trajectory snapshot is <c>….trajectory.verified.json</c> (<see cref="ForTrajectory"/>).
/// </summary>
public sealed record SnapshotPaths(string Verified, string Received)
{
    public const string VerifiedSuffix = ".spectral.verified.json";
    public const string ReceivedSuffix = ".spectral.received.json";

    /// <summary>The suffixes of a trajectory snapshot (<c>TrajectorySnapshot</c>): a trajectory baseline file, not a signature.</summary>
    public const string TrajectoryVerifiedSuffix = ".trajectory.verified.json";
    public const string TrajectoryReceivedSuffix = ".trajectory.received.json";

    /// <summary>Every received suffix <c>spectralgate accept|reject</c> looks for.</summary>
    public static IReadOnlyList<string> ReceivedSuffixes { get; } = [ReceivedSuffix, TrajectoryReceivedSuffix];

    /// <summary>Every verified suffix (orphan listing).</summary>
    public static IReadOnlyList<string> VerifiedSuffixes { get; } = [VerifiedSuffix, TrajectoryVerifiedSuffix];

    public static SnapshotPaths For(string directory, string className, string methodName, IEnumerable<object?> arguments) =>
        Named(directory, TestName(className, methodName, arguments), trajectory: false);

    /// <summary>As <see cref="For"/>, for a trajectory snapshot.</summary>
    public static SnapshotPaths ForTrajectory(string directory, string className, string methodName, IEnumerable<object?> arguments) =>
        Named(directory, TestName(className, methodName, arguments), trajectory: true);

    /// <summary>The pair for a file name chosen by the test (<c>SnapshotSettings.FileName</c>).</summary>
    public static SnapshotPaths Named(string directory, string name, bool trajectory) => trajectory
        ? new SnapshotPaths(Path.Combine(directory, name + TrajectoryVerifiedSuffix), Path.Combine(directory, name + TrajectoryReceivedSuffix))
        : new SnapshotPaths(Path.Combine(directory, name + VerifiedSuffix), Path.Combine(directory, name + ReceivedSuffix));

    private static string TestName(string className, string methodName, IEnumerable<object?> arguments)
    {
        string name = $"{className}.{methodName}";
        var args = arguments.Select(Sanitize).ToList();
        if (args.Count > 0) name += "_" + string.Join("_", args);
        return name;
    }

    /// <summary>True for a trajectory snapshot's received or verified file.</summary>
    public static bool IsTrajectory(string path) =>
        path.EndsWith(TrajectoryReceivedSuffix, StringComparison.Ordinal) || path.EndsWith(TrajectoryVerifiedSuffix, StringComparison.Ordinal);

    /// <summary>The verified path that a received file stands for.</summary>
    public static string VerifiedFor(string receivedPath) =>
        receivedPath.EndsWith(ReceivedSuffix, StringComparison.Ordinal) ? receivedPath[..^ReceivedSuffix.Length] + VerifiedSuffix
        : receivedPath.EndsWith(TrajectoryReceivedSuffix, StringComparison.Ordinal) ? receivedPath[..^TrajectoryReceivedSuffix.Length] + TrajectoryVerifiedSuffix
        : throw new ArgumentException($"{receivedPath} is not a *{ReceivedSuffix} or *{TrajectoryReceivedSuffix} file.", nameof(receivedPath));

    /// <summary>True for a received snapshot of either kind.</summary>
    public static bool IsReceived(string path) => ReceivedSuffixes.Any(s => path.EndsWith(s, StringComparison.Ordinal));

    /// <summary>
    /// The test source's folder. With deterministic source paths the compiler maps it to <c>/_/</c>; then the project
    /// folder the SpectralAssert build props record in the test assembly is used instead.
    /// </summary>
    public static string ResolveSourceDirectory(string callerFilePath, Assembly? testAssembly)
    {
        string? directory = Path.GetDirectoryName(callerFilePath);
        if (directory is not null && Directory.Exists(directory)) return directory;
        string? pathMap = testAssembly?.GetCustomAttributes<AssemblyMetadataAttribute>().FirstOrDefault(a => a.Key == "SpectralGate.PathMap")?.Value;
        if (pathMap is not null && SourcePathMap.Unmap(pathMap, callerFilePath) is { } unmapped && Path.GetDirectoryName(unmapped) is { } real && Directory.Exists(real))
            return real;
        string? projectDir = testAssembly?.GetCustomAttributes<AssemblyMetadataAttribute>().FirstOrDefault(a => a.Key == "SpectralGate.ProjectDirectory")?.Value;
        if (projectDir is not null && callerFilePath.StartsWith("/_/", StringComparison.Ordinal))
        {
            // '/_/' maps to the repository root; find the part of the path under the project folder.
            string relative = callerFilePath[3..];
            string projectName = new DirectoryInfo(projectDir).Name;
            int at = relative.IndexOf(projectName + "/", StringComparison.Ordinal);
            if (at >= 0) return Path.GetDirectoryName(Path.Combine(projectDir, relative[(at + projectName.Length + 1)..]))!;
            return projectDir;
        }
        throw new InvalidOperationException($"cannot find the folder of the test source '{callerFilePath}'; reference SpectralAssert's build targets (they record the path map), or pass a directory in SnapshotSettings.");
    }

    private static string Sanitize(object? argument)
    {
        string text = argument switch
        {
            null => "null",
            IFormattable f => f.ToString(null, System.Globalization.CultureInfo.InvariantCulture),
            _ => argument.ToString() ?? "",
        };
        var sb = new StringBuilder();
        foreach (char c in text) sb.Append(char.IsLetterOrDigit(c) || c is '-' or '.' ? c : '-');
        return sb.ToString();
    }
}
