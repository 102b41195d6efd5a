using SpectralGate.Engine.Baselines;
using SpectralGate.Engine.Errors;
using SpectralGate.Engine.IO;

namespace SpectralGate.Engine.Snapshots;

/// <summary>
/// Accepting and rejecting received snapshots: what <c>spectralgate accept|reject</c> and auto-accept do. Safe under
/// several processes at once (test processes of several target frameworks, CI matrices, <c>--parallel</c> runners):
/// every write is an atomic replace of whole bytes, a received file another process already took is not an error,
/// and two processes that accept different bytes for one snapshot are told apart from two that agree
/// (docs/baselines.md, "Several processes, one snapshot").
/// </summary>
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

    /// <summary>
    /// Promotes a received file to its verified twin after checking it parses as a baseline. Null when the received
    /// file is gone: another process accepted or rejected it first (its bytes are then in the verified file or nowhere).
    /// </summary>
    public static string? Accept(string receivedPath)
    {
        string verified = SnapshotPaths.VerifiedFor(receivedPath);
        if (ReadIfPresent(receivedPath) is not { } bytes) return null;
        // Refuse to promote a broken file.
        if (SnapshotPaths.IsTrajectory(receivedPath)) TrajectoryBaselineFile.Parse(receivedPath, bytes);
        else BaselineFile.Parse(receivedPath, bytes);
        AtomicFile.WriteAllBytes(verified, bytes);
        DeleteIfUnchanged(receivedPath, bytes);
        return verified;
    }

    /// <summary>
    /// Auto-accept of a snapshot this process computed, without passing through the shared received file (which a
    /// process next door may be replacing or promoting). With no baseline yet, the first process to create the
    /// verified file wins and the others compare bytes with it; replacing a baseline that differs, the process checks
    /// that the file holds its bytes afterwards.
    /// </summary>
    public static SnapshotPublication Publish(SnapshotPaths paths, byte[] bytes, bool replacingBaseline)
    {
        if (replacingBaseline) AtomicFile.WriteAllBytes(paths.Verified, bytes);
        else if (AtomicFile.TryCreate(paths.Verified, bytes))
        {
            DeleteIfUnchanged(paths.Received, bytes);
            return SnapshotPublication.Published;
        }
        // The verified file now holds this process's bytes or another's; a reader always sees one whole version.
        byte[]? now = ReadIfPresent(paths.Verified);
        if (now is not null && now.AsSpan().SequenceEqual(bytes))
        {
            DeleteIfUnchanged(paths.Received, bytes);
            return replacingBaseline ? SnapshotPublication.Published : SnapshotPublication.AlreadyPublished;
        }
        return SnapshotPublication.Conflict;
    }

    /// <summary>Deletes a received file; one another process removed first is not an error.</summary>
    public static void Reject(string receivedPath)
    {
        if (!SnapshotPaths.IsReceived(receivedPath))
            throw new BaselineFormatException(receivedPath, null, $"not a *{SnapshotPaths.ReceivedSuffix} or *{SnapshotPaths.TrajectoryReceivedSuffix} file.");
        File.Delete(receivedPath);
    }

    private static byte[]? ReadIfPresent(string path)
    {
        try
        {
            return File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
    }

    /// <summary>Removes a received file only while it still holds <paramref name="bytes"/>: another process's newer result is left for it.</summary>
    private static void DeleteIfUnchanged(string path, byte[] bytes)
    {
        if (ReadIfPresent(path) is { } current && current.AsSpan().SequenceEqual(bytes)) File.Delete(path);
    }
}
