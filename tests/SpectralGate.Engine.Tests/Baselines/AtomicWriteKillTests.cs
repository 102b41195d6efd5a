using System.Diagnostics;
using System.Security.Cryptography;
using SpectralGate.Engine.IO;
using SpectralGate.Tests.Support;

namespace SpectralGate.Engine.Tests.Baselines;

/// <summary>
/// A writer killed (SIGKILL) in the middle of rewriting a baseline leaves the old file or the new one, whole, never a
/// torn one; the next write removes what the killed writer left behind.
/// </summary>
public class AtomicWriteKillTests
{
    private const int PayloadBytes = 32 << 20;

    [Test]
    public void KillingAWriterMidWriteLeavesAWholeFile()
    {
        string folder = TestPaths.NewScratchFolder();
        string path = Path.Combine(folder, "model.spectral.json");
        byte[] old = "{\"format_version\": 1}"u8.ToArray();
        File.WriteAllBytes(path, old);
        var random = new Random(7);
        int tornWrites = 0;

        for (int kill = 0; kill < 6; kill++)
        {
            using var writer = StartWriter(path);
            Thread.Sleep(random.Next(100, 600));
            writer.Kill(entireProcessTree: true);
            writer.WaitForExit();

            byte[] now = File.ReadAllBytes(path);
            Assert.That(now.SequenceEqual(old) || IsWholePayload(now), $"kill {kill}: {now.Length} bytes, neither the old file nor a whole new one");
            if (Directory.GetFiles(folder, "*.tmp", SearchOption.AllDirectories).Length > 0 || Directory.GetFiles(folder, ".*.tmp").Length > 0) tornWrites++;
        }

        Assert.That(tornWrites, Is.GreaterThan(0), "no kill landed in the middle of a write; the test proved nothing");
        AtomicFile.WriteAllBytes(path, old);
        Assert.That(Directory.GetFiles(folder).Select(Path.GetFileName), Is.EqualTo(new[] { "model.spectral.json" }), "the killed writers' temporary files are removed");
        Assert.That(File.ReadAllBytes(path), Is.EqualTo(old));
    }

    private static Process StartWriter(string path)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "SpectralGate.CrashWriter.dll"));
        start.ArgumentList.Add(path);
        var process = Process.Start(start)!;
        Assert.That(process.StandardOutput.ReadLine(), Is.EqualTo("writing"));
        return process;
    }

    private static bool IsWholePayload(byte[] bytes)
    {
        if (bytes.Length != PayloadBytes + 32) return false;
        byte value = bytes[0];
        if (value != 0xA1 && value != 0xB2) return false;
        if (bytes.AsSpan(0, PayloadBytes).ContainsAnyExcept(value)) return false;
        return SHA256.HashData(bytes.AsSpan(0, PayloadBytes)).AsSpan().SequenceEqual(bytes.AsSpan(PayloadBytes));
    }
}
