namespace SpectralGate.Engine.Snapshots;

/// <summary>
/// Verified snapshots no test uses: every <c>*.spectral.verified.json</c> and <c>*.trajectory.verified.json</c> under a folder that the newest run ledger of
/// no test project under it lists (<see cref="UsedSnapshotLedger"/>). Meaningful after a run of the whole suite;
/// a filtered run lists the tests it skipped.
/// </summary>
public static class SnapshotOrphans
{
    /// <summary>The orphans under <paramref name="root"/>, sorted; throws when no ledger exists there (no run to judge by).</summary>
    public static IReadOnlyList<string> Find(string root)
    {
        if (!Directory.Exists(root)) throw new DirectoryNotFoundException($"{root}: no such folder.");
        var ledgers = Directory.EnumerateDirectories(root, UsedSnapshotLedger.FolderName, SearchOption.AllDirectories).ToList();
        if (ledgers.Count == 0)
            throw new ArgumentException($"{root}: no test run has recorded the snapshots it used (obj/{UsedSnapshotLedger.FolderName}); run the tests first (dotnet test), then list orphans.");
        var used = new HashSet<string>(ledgers.SelectMany(UsedSnapshotLedger.NewestRun), StringComparer.Ordinal);
        return SnapshotPaths.VerifiedSuffixes.SelectMany(suffix => Directory.EnumerateFiles(root, "*" + suffix, SearchOption.AllDirectories))
            .Where(f => !IsBuildOutput(root, f))
            .Select(Path.GetFullPath)
            .Where(f => !used.Contains(f))
            .Order(StringComparer.Ordinal)
            .ToList();
    }

    // Copies under bin/ and obj/ are build outputs, not baselines.
    private static bool IsBuildOutput(string root, string file) =>
        Path.GetRelativePath(root, file).Split(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar).Any(p => p is "bin" or "obj");
}
