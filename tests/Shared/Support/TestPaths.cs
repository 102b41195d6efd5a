using System.Reflection;

namespace SpectralGate.Tests.Support;

/// <summary>Paths the build passes to the tests, and a per-test scratch folder.</summary>
internal static class TestPaths
{
    public static string Metadata(string key) =>
        typeof(TestPaths).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value!;

    public static string RepositoryRoot => Metadata("RepositoryRoot");

    public static string TorchSharpNativeInPackage => Metadata("TorchSharpNativeInPackage");

    /// <summary>A new empty folder under the test output, unique per call.</summary>
    public static string NewScratchFolder()
    {
        string folder = Path.Combine(TestContext.CurrentContext.WorkDirectory, "scratch", Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(folder);
        return folder;
    }
}
