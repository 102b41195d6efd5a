using System.Security.Cryptography;
using SpectralGate.Engine.IO;

// Rewrites PATH through AtomicFile in a loop until killed, alternating two large payloads, and says "writing" once it
// is under way. Each payload is 32 MiB of one byte value followed by the SHA-256 of the rest, so a reader can tell a
// whole file from a torn one.
if (args.Length != 1)
{
    Console.Error.WriteLine("usage: SpectralGate.CrashWriter PATH");
    return 64;
}
byte[][] payloads = [Payload(0xA1), Payload(0xB2)];
Console.Out.WriteLine("writing");
Console.Out.Flush();
for (long i = 0; ; i++) AtomicFile.WriteAllBytes(args[0], payloads[i % 2]);

static byte[] Payload(byte value)
{
    var data = new byte[(32 << 20) + 32];
    Array.Fill(data, value, 0, 32 << 20);
    SHA256.HashData(data.AsSpan(0, 32 << 20)).CopyTo(data, 32 << 20);
    return data;
}
