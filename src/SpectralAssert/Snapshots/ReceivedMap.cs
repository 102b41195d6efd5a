using System.Security.Cryptography;
using System.Text;
using SpectralAssert.IO;

namespace SpectralAssert.Snapshots;

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

    private static string Key(string receivedPath) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Path.GetFullPath(receivedPath))))[..16];
}
