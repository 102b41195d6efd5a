using System.Diagnostics;
using System.Xml.Linq;

namespace SpectralGate.Tasks.Tests;

/// <summary>
/// Every package the tests install, packed once per test run into one local feed with one version: the spectralgate
/// tool packages (the pointer package SpectralGate.Cli and one SpectralGate.Cli.&lt;rid&gt; per platform, with hundreds of
/// MB of natives), SpectralGate.Tasks, SpectralGate.Engine, SpectralAssert and SpectralGate.Analyzers. Packing is the
/// slowest step of the suite; each end-to-end test used to pack its own copy of the packages it needed.
/// </summary>
internal static class LocalToolFeed
{
    public static readonly string[] RuntimeIdentifiers = ["linux-x64", "win-x64", "osx-arm64"];

    private static readonly string[] Packages = ["SpectralGate.Cli", "SpectralGate.Tasks", "SpectralGate.Engine", "SpectralAssert", "SpectralGate.Analyzers"];

    private static readonly Lazy<(ScratchFolder Feed, string Version)> Packed = new(Pack, LazyThreadSafetyMode.ExecutionAndPublication);

    public static string Feed => Packed.Value.Feed.Path;

    public static string Version => Packed.Value.Version;

    /// <summary>How long packing took, for the CI-time budget (printed by the tests that use the feed).</summary>
    public static TimeSpan PackTime { get; private set; }

    /// <summary>The packages' version, from Directory.Build.props (the one place it is set).</summary>
    public static string RepositoryVersion =>
        XDocument.Load(Path.Combine(DotnetProcess.RepositoryRoot, "Directory.Build.props")).Descendants("Version").Single().Value;

    public static string PackagePath(string id) => Path.Combine(Feed, $"{id}.{Version}.nupkg");

    /// <summary>The nuget.config of a project that restores from this feed (and the configured sources for the rest).</summary>
    public static string NuGetConfig => $"<configuration><packageSources><add key=\"local\" value=\"{Feed}\" /></packageSources></configuration>";

    private static (ScratchFolder, string) Pack()
    {
        var feed = ScratchFolder.Create("sg-toolfeed");
        // A prerelease of the repository's version, never one a cache could hold already.
        string version = RepositoryVersion + "-e2e" + DateTime.UtcNow.ToString("yyyyMMddHHmmss");
        var clock = Stopwatch.StartNew();
        foreach (string package in Packages)
        {
            var pack = DotnetProcess.Run(DotnetProcess.RepositoryRoot, TimeSpan.FromMinutes(15), new Dictionary<string, string>(),
                "pack", Path.Combine(DotnetProcess.RepositoryRoot, "src", package), "-o", feed.Path, $"-p:Version={version}", "-nodeReuse:false");
            if (pack.ExitCode != 0) throw new InvalidOperationException($"dotnet pack {package} failed:\n{pack.Output}");
        }
        PackTime = clock.Elapsed;
        return (feed, version);
    }

    /// <summary>Removes the feed if this run packed one (the test host may be stopped before a process-exit handler finishes).</summary>
    public static void DeleteIfPacked()
    {
        if (Packed.IsValueCreated) Packed.Value.Feed.Dispose();
    }
}
