using SpectralGate.Engine.Baselines;
using SpectralGate.Engine.Errors;

namespace SpectralGate.Engine.Snapshots;

/// <summary>Accepting and rejecting received snapshots: what <c>spectralgate accept|reject</c> and auto-accept do.</summary>
public static class SnapshotAcceptance
{
    /// <summary>The received files at <paramref name="path"/>: the file itself, or every one under the folder.</summary>
    public static IReadOnlyList<string> FindReceived(string path)
    {
        if (File.Exists(path))
            return SnapshotPaths.IsReceived(path)
                ? [path]
                : throw new ArgumentException($"{path} is not a *{SnapshotPaths.ReceivedSuffix} or *{SnapshotPaths.TrajectoryReceivedSuffix} file.");
        if (!Directory.Exists(path)) throw new ArgumentException($"{path}: no such file or folder.");
        return SnapshotPaths.ReceivedSuffixes.SelectMany(suffix => Directory.EnumerateFiles(path, "*" + suffix, SearchOption.AllDirectories))
            .Where(f => !Path.GetRelativePath(path, f).Split(Path.DirectorySeparatorChar).Any(part => part is "bin" or "obj" or ".git"))
            .Order(StringComparer.Ordinal).ToList();
    }

    /// <summary>Moves a received file over its verified twin (atomic rename), after checking it parses as a baseline of its kind.</summary>
    public static string Accept(string receivedPath)
    {
        // Refuse to promote a broken file.
        if (SnapshotPaths.IsTrajectory(receivedPath)) TrajectoryBaselineFile.Read(receivedPath);
        else BaselineFile.Read(receivedPath);
        string verified = SnapshotPaths.VerifiedFor(receivedPath);
        File.Move(receivedPath, verified, overwrite: true);
        return verified;
    }

    public static void Reject(string receivedPath)
    {
        if (!SnapshotPaths.IsReceived(receivedPath))
            throw new BaselineFormatException(receivedPath, null, $"not a *{SnapshotPaths.ReceivedSuffix} or *{SnapshotPaths.TrajectoryReceivedSuffix} file.");
        File.Delete(receivedPath);
    }
}
