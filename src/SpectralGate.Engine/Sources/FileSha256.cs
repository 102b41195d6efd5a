using System.Security.Cryptography;

namespace SpectralGate.Engine.Sources;

/// <summary>
/// The model hash of every file-backed source: SHA-256 of its files' bytes read in order as one stream (a sharded
/// checkpoint in index order, an ONNX model before its external data), lowercase hex. Streams in 1 MiB blocks.
/// </summary>
public static class FileSha256
{
    public static string Of(params IEnumerable<string> files)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[1 << 20];
        foreach (string file in files)
        {
            using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1);
            int read;
            while ((read = stream.Read(buffer)) > 0) hash.AppendData(buffer, 0, read);
        }
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }
}
