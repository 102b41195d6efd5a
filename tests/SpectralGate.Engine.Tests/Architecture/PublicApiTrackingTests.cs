using System.Xml.Linq;
using SpectralGate.Tests.Support;

namespace SpectralGate.Engine.Tests.Architecture;

/// <summary>
/// Every project whose assembly ships for users to compile against or MSBuild to load declares its public surface in
/// PublicAPI.*.txt, so that the build fails on an unrecorded change (docs/compatibility.md, "Public API files").
/// </summary>
public class PublicApiTrackingTests
{
    private static string Src => Path.Combine(TestPaths.RepositoryRoot, "src");

    private static string? Property(XDocument project, string name) =>
        project.Descendants(name).Select(e => e.Value.Trim()).LastOrDefault();

    /// <summary>A packed project whose assembly lands in the package: not a tool (its surface is the command line), not an analyzer (under analyzers/, compiled against by nobody).</summary>
    private static bool ShipsItsAssembly(XDocument project) =>
        !string.Equals(Property(project, "IsPackable"), "false", StringComparison.OrdinalIgnoreCase)
        && !string.Equals(Property(project, "PackAsTool"), "true", StringComparison.OrdinalIgnoreCase)
        && !string.Equals(Property(project, "IncludeBuildOutput"), "false", StringComparison.OrdinalIgnoreCase);

    private static IEnumerable<string> ShippedLibraries() =>
        Directory.GetFiles(Src, "*.csproj", SearchOption.AllDirectories)
            .Where(p => ShipsItsAssembly(XDocument.Load(p)))
            .Select(p => Path.GetFileNameWithoutExtension(p))
            .Order(StringComparer.Ordinal);

    [Test]
    public void TheShippedLibrariesAreTheEngineSpectralAssertAndTheTasks()
    {
        // Guards the rule below against a csproj reading that finds nothing.
        Assert.That(ShippedLibraries(), Is.EquivalentTo(new[] { "SpectralAssert", "SpectralGate.Engine", "SpectralGate.Tasks" }));
    }

    [TestCaseSource(nameof(ShippedLibraries))]
    public void AShippedLibraryTracksItsPublicApiWithNullability(string project)
    {
        string folder = Path.Combine(Src, project);
        var xml = XDocument.Load(Path.Combine(folder, project + ".csproj"));

        Assert.That(Property(xml, "SpectralGateTracksPublicApi"), Is.EqualTo("true"), $"{project}.csproj: set <SpectralGateTracksPublicApi>true</SpectralGateTracksPublicApi>");
        foreach (string file in new[] { "PublicAPI.Shipped.txt", "PublicAPI.Unshipped.txt" })
        {
            string path = Path.Combine(folder, file);
            Assert.That(path, Does.Exist);
            Assert.That(File.ReadLines(path).FirstOrDefault(), Is.EqualTo("#nullable enable"), $"{project}/{file}: nullability is recorded only under '#nullable enable'");
        }
    }

    [Test]
    public void TheTrackingRulesAreErrorsWhateverTreatWarningsAsErrorsSays()
    {
        var targets = XDocument.Load(Path.Combine(TestPaths.RepositoryRoot, "Directory.Build.targets"));
        var tracked = targets.Descendants("PropertyGroup")
            .Where(g => ((string?)g.Attribute("Condition"))?.Contains("SpectralGateTracksPublicApi", StringComparison.Ordinal) == true);
        var errors = tracked.Descendants("WarningsAsErrors").SelectMany(e => e.Value.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries));

        Assert.That(errors, Is.SupersetOf(new[] { "RS0016", "RS0017", "RS0036", "RS0037" }));
    }
}
