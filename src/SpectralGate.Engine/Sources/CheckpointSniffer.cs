using SpectralGate.Engine.Errors;

namespace SpectralGate.Engine.Sources;

public static class CheckpointSniffer
{
    private static ReadOnlySpan<byte> LegacyMagic => [0x8a, 0x0a, 0x6c, 0xfc, 0x9c, 0x46];

    public static CheckpointKind Sniff(string path)
    {
        Span<byte> head = stackalloc byte[8];
        int read;
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1);
            read = stream.ReadAtLeast(head, 8, throwOnEndOfStream: false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ModelFormatException(path, null, $"cannot be read: {e.Message}", e);
        }
        if (read < 4) return CheckpointKind.Unknown;
        if (head[..4].SequenceEqual("GGUF"u8)) return CheckpointKind.Gguf;
        if (head[..4].SequenceEqual("PK\x03\x04"u8)) return CheckpointKind.Zip;
        // A legacy file begins with its pickled magic number: PROTO n, then LONG1 of 10 bytes, 0x1950a86a20f9469cfc6c.
        if (read == 8 && head[0] == 0x80 && head[1] is >= 2 and <= 5 && head[2..].SequenceEqual(LegacyMagic)) return CheckpointKind.Pickle;
        return CheckpointKind.Unknown;
    }
}
