using System.Reflection;
using System.Text;

namespace SpectralGate.Engine.Snapshots;

/// <summary>
/// Verify's naming: <c>{Directory}/{TestClass}.{TestMethod}[_{arguments}].spectral.verified.json</c>, beside the test
/// source file, with a <c>.received.</c> twin.
/// </summary>
public sealed record SnapshotPaths(string Verified, string Received)
{
    public const string VerifiedSuffix = ".spectral.verified.json";
    public const string ReceivedSuffix = ".spectral.received.json";

    public static SnapshotPaths For(string directory, string className, string methodName, IEnumerable<object?> arguments)
    {
        string name = $"{className}.{methodName}";
        var args = arguments.Select(Sanitize).ToList();
        if (args.Count > 0) name += "_" + string.Join("_", args);
        return new SnapshotPaths(Path.Combine(directory, name + VerifiedSuffix), Path.Combine(directory, name + ReceivedSuffix));
    }

    /// <summary>The verified path that a received file stands for.</summary>
    public static string VerifiedFor(string receivedPath) =>
        receivedPath.EndsWith(ReceivedSuffix, StringComparison.Ordinal)
            ? receivedPath[..^ReceivedSuffix.Length] + VerifiedSuffix
            : throw new ArgumentException($"{receivedPath} is not a *{ReceivedSuffix} file.", nameof(receivedPath));

    /// <summary>
    /// The test source's folder. With deterministic source paths the compiler maps it to <c>/_/</c>; then the project
    /// folder the SpectralAssert build props record in the test assembly is used instead.
    /// </summary>
    public static string ResolveSourceDirectory(string callerFilePath, Assembly? testAssembly)
    {
        string? directory = Path.GetDirectoryName(callerFilePath);
        if (directory is not null && Directory.Exists(directory)) return directory;
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
        throw new InvalidOperationException($"cannot find the folder of the test source '{callerFilePath}'; set <DeterministicSourcePaths>false</DeterministicSourcePaths> in the test project or pass a directory in SnapshotSettings.");
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
