using System.Security.Cryptography;
using SpectralGate.Engine.Sources;
using SpectralGate.Tests.Support;

namespace SpectralGate.Engine.Tests.Sources;

/// <summary>The one model hash of every file source: SHA-256 of the files read in order as one stream.</summary>
public class FileSha256Tests
{
    private static string Write(string folder, string name, byte[] bytes)
    {
        string path = Path.Combine(folder, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    [Test]
    public void FilesAreHashedAsOneStreamInOrder()
    {
        string folder = TestPaths.NewScratchFolder();
        string a = Write(folder, "a", "a"u8.ToArray());
        string bc = Write(folder, "bc", "bc"u8.ToArray());

        // FIPS 180-2, appendix B.1: SHA-256("abc").
        Assert.That(FileSha256.Of(a, bc), Is.EqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"));
        Assert.That(FileSha256.Of(bc, a), Is.Not.EqualTo(FileSha256.Of(a, bc)));
    }

    [Test]
    public void FilesLongerThanTheReadBufferAreHashedWhole()
    {
        string folder = TestPaths.NewScratchFolder();
        var first = new byte[(1 << 20) + 7];
        var second = new byte[(3 << 20) - 5];
        new Random(3).NextBytes(first);
        new Random(4).NextBytes(second);

        string hash = FileSha256.Of(Write(folder, "1", first), Write(folder, "2", second));

        Assert.That(hash, Is.EqualTo(Convert.ToHexStringLower(SHA256.HashData([.. first, .. second]))));
    }

    [Test]
    public void NoFilesHashAsTheEmptyStream() =>
        Assert.That(FileSha256.Of(), Is.EqualTo("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"));
}
