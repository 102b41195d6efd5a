using System.Diagnostics;

namespace SpectralGate.Tasks.Tests;

/// <summary>
/// The spectralgate tool packages (the pointer package SpectralGate.Cli and one SpectralGate.Cli.&lt;rid&gt; per
/// platform, with hundreds of MB of natives) and SpectralGate.Tasks, packed once per test run into one local feed
/// and shared by every test that installs or inspects them: packing the tool is the slowest step of the suite.
/// </summary>
internal static class LocalToolFeed
{
    public static readonly string[] RuntimeIdentifiers = ["linux-x64", "win-x64", "osx-arm64"];

    private static readonly Lazy<(string Feed, string Version)> Packed = new(Pack, LazyThreadSafetyMode.ExecutionAndPublication);

    public static string Feed => Packed.Value.Feed;

    public static string Version => Packed.Value.Version;

    /// <summary>How long packing took, for the CI-time budget (printed by the tests that use the feed).</summary>
    public static TimeSpan PackTime { get; private set; }

    public static string PackagePath(string id) => Path.Combine(Feed, $"{id}.{Version}.nupkg");

    private static (string, string) Pack()
    {
        string feed = Path.Combine(Path.GetTempPath(), "sg-toolfeed-" + Guid.NewGuid().ToString("N")[..8]);
        string version = "1.0.0-e2e" + DateTime.UtcNow.ToString("yyyyMMddHHmmss");
        var clock = Stopwatch.StartNew();
        foreach (string package in new[] { "SpectralGate.Cli", "SpectralGate.Tasks" })
        {
            var pack = DotnetProcess.Run(DotnetProcess.RepositoryRoot, TimeSpan.FromMinutes(15), new Dictionary<string, string>(),
                "pack", Path.Combine(DotnetProcess.RepositoryRoot, "src", package), "-o", feed, $"-p:Version={version}", "-nodeReuse:false");
            if (pack.ExitCode != 0) throw new InvalidOperationException($"dotnet pack {package} failed:\n{pack.Output}");
        }
        PackTime = clock.Elapsed;
        return (feed, version);
    }

    /// <summary>Removes the feed (283 MB) if this run packed one; the test host may be stopped before a process-exit handler finishes.</summary>
    public static void DeleteIfPacked()
    {
        if (!Packed.IsValueCreated) return;
        try { Directory.Delete(Packed.Value.Feed, recursive: true); } catch (IOException) { }
    }
}
