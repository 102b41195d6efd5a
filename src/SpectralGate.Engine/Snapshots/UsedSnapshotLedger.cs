using System.Diagnostics;
using System.Text;
using SpectralGate.Engine.IO;

namespace SpectralGate.Engine.Snapshots;

/// <summary>
/// Which verified snapshots a test run used: one ledger per run under the test project's <c>obj/SpectralGateUsed/</c>,
/// named by the run's start, rewritten atomically as snapshots are verified. <see cref="SnapshotOrphans"/> reads each
/// folder's newest ledger: a verified file no test of the last whole run asked for is an orphan.
/// </summary>
public static class UsedSnapshotLedger
{
    public const string FolderName = "SpectralGateUsed";

#if NET9_0_OR_GREATER
    private static readonly Lock Gate = new();
#else
    private static readonly object Gate = new();
#endif
    private static readonly Dictionary<string, SortedSet<string>> Used = new(StringComparer.Ordinal);

    // One name per test process: its start time (sortable) and id.
    private static readonly string RunName = $"{Process.GetCurrentProcess().StartTime.ToUniversalTime():yyyyMMddTHHmmssfff}-{Environment.ProcessId}.txt";

    public static void Record(string intermediateDirectory, string verifiedPath)
    {
        string folder = Path.Combine(intermediateDirectory, FolderName);
        lock (Gate)
        {
            if (!Used.TryGetValue(folder, out var set)) Used[folder] = set = new SortedSet<string>(StringComparer.Ordinal);
            if (!set.Add(Path.GetFullPath(verifiedPath))) return;
            AtomicFile.WriteAllBytes(Path.Combine(folder, RunName), Encoding.UTF8.GetBytes(string.Join("\n", set) + "\n"));
        }
    }

    /// <summary>The verified paths in the newest ledger of <paramref name="folder"/> (an <c>obj/SpectralGateUsed</c> folder).</summary>
    public static IReadOnlyList<string> NewestRun(string folder)
    {
        string? newest = Directory.EnumerateFiles(folder, "*.txt").Order(StringComparer.Ordinal).LastOrDefault();
        return newest is null ? [] : File.ReadAllLines(newest).Where(l => l.Length > 0).ToList();
    }
}
