using System.Xml.Linq;
using SpectralGate.Tests.Support;

namespace SpectralGate.Engine.Tests.Architecture;

/// <summary>
/// The never-arrows of docs/architecture.md that concern projects and packages, read from the project files: a
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
        Assert.That(packages, Is.SubsetOf(new[] { "TorchSharp", "MathNet.Numerics", "Google.Protobuf", "Grpc.Tools", "System.IO.Hashing", "System.Text.Json", "Microsoft.CodeAnalysis.BannedApiAnalyzers" }));
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

    // The folder order and the "Metrics never see devices, tensors or sources" rule are checked on symbols, with the
    // order read from docs/architecture.md: FolderOrderTests.

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
}
