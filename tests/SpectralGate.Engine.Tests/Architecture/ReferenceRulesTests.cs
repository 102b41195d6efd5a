using System.Text.RegularExpressions;
using System.Xml.Linq;
using SpectralGate.Tests.Support;

namespace SpectralGate.Engine.Tests.Architecture;

/// <summary>
/// The never-arrows of docs/architecture.md, read from the project files and the engine's using directives: a
/// forbidden reference fails here before it ships.
/// </summary>
public class ReferenceRulesTests
{
    private static string Src => Path.Combine(TestPaths.RepositoryRoot, "src");

    private static (HashSet<string> Packages, HashSet<string> Projects) References(string project)
    {
        var xml = XDocument.Load(Path.Combine(Src, project, project + ".csproj"));
        var packages = xml.Descendants("PackageReference").Select(e => (string)e.Attribute("Include")!).ToHashSet();
        var projects = xml.Descendants("ProjectReference")
            .Select(e => Path.GetFileNameWithoutExtension(((string)e.Attribute("Include")!).Replace('\\', '/'))).ToHashSet();
        return (packages, projects);
    }

    [Test]
    public void TheEngineDependsOnNoTestFrameworkBuildSystemOrConsole()
    {
        var (packages, projects) = References("SpectralGate.Engine");

        Assert.That(projects, Is.Empty);
        Assert.That(packages, Is.SubsetOf(new[] { "TorchSharp", "MathNet.Numerics", "Google.Protobuf", "Grpc.Tools", "System.IO.Hashing" }));
    }

    [Test]
    public void SpectralAssertIsNUnitOnTopOfTheEngine()
    {
        var (packages, projects) = References("SpectralAssert");

        Assert.That(projects, Is.EquivalentTo(new[] { "SpectralGate.Engine" }));
        Assert.That(packages, Is.SubsetOf(new[] { "NUnit" }));
    }

    [Test]
    public void TheToolShipsNoNUnit()
    {
        var (packages, projects) = References("SpectralGate.Cli");

        Assert.That(projects, Does.Not.Contain("SpectralAssert"));
        Assert.That(packages.Where(p => p.StartsWith("NUnit", StringComparison.Ordinal)), Is.Empty);
    }

    [Test]
    public void TheMsBuildTaskNeverLoadsTheEngineOrLibtorch()
    {
        var (packages, projects) = References("SpectralGate.Tasks");

        Assert.That(projects, Is.Empty);
        Assert.That(packages.Where(p => p.StartsWith("TorchSharp", StringComparison.OrdinalIgnoreCase) || p.StartsWith("libtorch", StringComparison.OrdinalIgnoreCase)), Is.Empty);
    }

    [TestCase("SpectralGate.Analyzers")]
    [TestCase("SpectralGate.Analyzers.CodeFixes")]
    public void TheAnalyzersNeverLoadTorchSharpOrTheEngine(string project)
    {
        var (packages, projects) = References(project);

        Assert.That(projects, Is.SubsetOf(new[] { "SpectralGate.Analyzers", "SpectralGate.Analyzers.CodeFixes" }));
        Assert.That(packages.Where(p => p.StartsWith("TorchSharp", StringComparison.OrdinalIgnoreCase) || p.StartsWith("libtorch", StringComparison.OrdinalIgnoreCase)), Is.Empty);
    }

    /// <summary>The engine's folders in pipeline order: a folder may use its own stage and those before it, never a later one.</summary>
    private static readonly Dictionary<string, int> Stage = new(StringComparer.Ordinal)
    {
        ["IO"] = 0, ["Errors"] = 0, ["Runtime"] = 0, ["Names"] = 0,
        ["Sources"] = 1,
        ["Matrices"] = 2,
        ["Spectra"] = 3,
        ["Metrics"] = 4,
        ["Signatures"] = 5, ["Probes"] = 5, ["Deltas"] = 5, ["Trajectories"] = 5,
        ["Baselines"] = 6,
        ["Snapshots"] = 7, ["Reports"] = 7,
        ["Gate"] = 8,
    };

    private static readonly Regex EngineUsing = new(@"^using (static )?SpectralGate\.Engine\.(?<ns>[A-Za-z]+)", RegexOptions.Multiline);

    public static IEnumerable<string> EngineFolders() =>
        Directory.GetDirectories(Path.Combine(Src, "SpectralGate.Engine"))
            .Select(Path.GetFileName).Where(d => d is not ("bin" or "obj")).Order(StringComparer.Ordinal)!;

    [TestCaseSource(nameof(EngineFolders))]
    public void NothingFlowsBackwards(string folder)
    {
        Assert.That(Stage, Does.ContainKey(folder), $"Engine/{folder} has no place in the pipeline order of this test and docs/architecture.md");
        var backwards =
            from file in Directory.GetFiles(Path.Combine(Src, "SpectralGate.Engine", folder), "*.cs", SearchOption.AllDirectories)
            from Match m in EngineUsing.Matches(File.ReadAllText(file))
            let used = m.Groups["ns"].Value
            where Stage.TryGetValue(used, out int s) && s > Stage[folder]
            select $"{Path.GetRelativePath(Src, file).Replace('\\', '/')} uses {used}";

        Assert.That(backwards, Is.Empty);
    }

    /// <summary>Probe metrics (activations, Hessians, recurrences, mixers) live with their probes, after the weight metrics.</summary>
    [Test]
    public void MetricsHoldNoProbeMetric()
    {
        var offending = Directory.GetFiles(Path.Combine(Src, "SpectralGate.Engine", "Metrics"), "*.cs", SearchOption.AllDirectories)
            .Where(f => File.ReadAllText(f).Contains("ProbeMetricNames", StringComparison.Ordinal))
            .Select(f => Path.GetRelativePath(Src, f));

        Assert.That(offending, Is.Empty);
        Assert.That(File.Exists(Path.Combine(Src, "SpectralGate.Engine", "Probes", "ProbeMetricNames.cs")), Is.True);
    }

    [Test]
    public void MetricsNeverSeeDevicesTensorsOrSources()
    {
        var offending = Directory.GetFiles(Path.Combine(Src, "SpectralGate.Engine", "Metrics"), "*.cs", SearchOption.AllDirectories)
            .Where(f => Regex.IsMatch(File.ReadAllText(f), @"^using (static )?TorchSharp|^using SpectralGate\.Engine\.Sources", RegexOptions.Multiline))
            .Select(f => Path.GetRelativePath(Src, f));

        Assert.That(offending, Is.Empty);
    }
}
