using System.Security.Cryptography;
using System.Text;
using SpectralGate.Engine.IO;

namespace SpectralGate.Engine.Snapshots;

/// <summary>
/// The received→verified map (Verify's <c>obj/VerifyReceived</c>): one small file per pending received snapshot under
/// the test project's <c>obj/SpectralGateReceived/</c>, so tools pair files without guessing from names.
/// </summary>
public static class ReceivedMap
{
    public const string FolderName = "SpectralGateReceived";

    public static void Record(string intermediateDirectory, SnapshotPaths paths)
    {
        string folder = Path.Combine(intermediateDirectory, FolderName);
        AtomicFile.WriteAllBytes(Path.Combine(folder, Key(paths.Received) + ".txt"), Encoding.UTF8.GetBytes($"{paths.Received}\n{paths.Verified}\n"));
    }

    public static void Forget(string intermediateDirectory, SnapshotPaths paths)
    {
        string file = Path.Combine(intermediateDirectory, FolderName, Key(paths.Received) + ".txt");
        if (File.Exists(file)) File.Delete(file);
    }

    /// <summary>Every (received, verified) pair recorded under the folder.</summary>
    public static IEnumerable<(string Received, string Verified)> Read(string intermediateDirectory)
    {
        string folder = Path.Combine(intermediateDirectory, FolderName);
        if (!Directory.Exists(folder)) yield break;
        foreach (string file in Directory.EnumerateFiles(folder, "*.txt").Order(StringComparer.Ordinal))
        {
            string[] lines = File.ReadAllLines(file);
            if (lines.Length >= 2) yield return (lines[0], lines[1]);
        }
    }

    /// <summary>Deletes map entries under <paramref name="root"/> whose received file is gone (accepted or rejected by a tool).</summary>
    public static int Prune(string root)
    {
        if (!Directory.Exists(root)) return 0;
        int removed = 0;
        foreach (string folder in Directory.EnumerateDirectories(root, FolderName, SearchOption.AllDirectories))
            foreach (string file in Directory.EnumerateFiles(folder, "*.txt"))
            {
                string[] lines = File.ReadAllLines(file);
                if (lines.Length < 2 || !File.Exists(lines[0]))
                {
                    File.Delete(file);
                    removed++;
                }
            }
        return removed;
    }

    private static string Key(string receivedPath) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Path.GetFullPath(receivedPath))))[..16];
}
