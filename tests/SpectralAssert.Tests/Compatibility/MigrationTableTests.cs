using System.Reflection;
using System.Xml.Linq;
using SpectralGate.Engine.Signatures;
using SpectralGate.Tests.Support;

namespace SpectralAssert.Tests.Compatibility;

/// <summary>
/// The differences package validation reports against the previous release (the CompatibilitySuppressions.xml files
/// that let <c>dotnet pack</c> pass), with the members the moved types lost (which ApiCompat cannot see:
/// <see cref="MovedTypeMembers"/>), are exactly the ones CHANGELOG.md's migration tables list, and every new name the
/// tables give exists in this release. A break that is not in a table fails here; one that is not suppressed fails
/// <c>dotnet pack</c>.
/// </summary>
public class MigrationTableTests
{
    /// <summary>What each validated package gives its users to compile against: its own assembly and its dependencies'.</summary>
    private static readonly Dictionary<string, Assembly[]> ShippedAssemblies = new()
    {
        ["SpectralAssert"] = [typeof(global::SpectralAssert.Assertions.Spectrum).Assembly, typeof(SpectralSignature).Assembly],
    };

    private static string Root => TestPaths.RepositoryRoot;

    private static List<MigrationRow> Rows => MigrationRow.Read(Path.Combine(Root, "CHANGELOG.md"));

    private static string PreviousRelease =>
        XDocument.Load(Path.Combine(Root, "Directory.Build.props")).Descendants("SpectralGatePreviousRelease").Single().Value;

    private static List<ApiCompatSuppression> Breaks
    {
        get
        {
            var breaks = ApiCompatSuppression.ReadBaselineBreaks(Root);
            var rows = Rows;
            foreach (var (package, assemblies) in ShippedAssemblies)
            {
                string baseline = Path.Combine(Root, "eng", "baseline-packages", PreviousRelease, $"{package}.{PreviousRelease}.nupkg");
                breaks.AddRange(MovedTypeMembers.Differences(baseline, package, rows, assemblies));
            }
            return breaks;
        }
    }

    [Test]
    public void EveryBreakPackageValidationReportsIsInTheMigrationTable()
    {
        var rows = Rows;
        var unlisted = Breaks.Where(b => RowFor(b, rows) is null).Select(b => b.ToString()).Order(StringComparer.Ordinal).ToList();

        Assert.That(unlisted, Is.Empty,
            "Breaks against the previous release that CHANGELOG.md's migration table does not list (add a row per break, old name -> new name):\n" + string.Join("\n", unlisted));
    }

    [Test]
    public void EveryMigrationRowNamesABreakPackageValidationReports()
    {
        var rows = Rows;
        var breaks = Breaks;
        var covering = breaks.Select(b => RowFor(b, rows)).OfType<MigrationRow>().ToHashSet();
        var stale = rows.Where(r => !covering.Contains(r)).Select(r => r.ToString()).ToList();

        Assert.That(stale, Is.Empty,
            "Migration rows that match no difference in any CompatibilitySuppressions.xml (a break that was undone, or a name that does not match ApiCompat's):\n" + string.Join("\n", stale));
    }

    [Test]
    public void EveryNewNameInTheMigrationTableExists()
    {
        var rows = Rows;
        var missing = new List<string>();
        foreach (var (breakage, row) in Breaks.Select(b => (b, RowFor(b, rows))))
        {
            if (row is null || row.NewName == MigrationRow.Removed) continue;
            if (!ShippedAssemblies.TryGetValue(breakage.Package, out var assemblies))
            {
                missing.Add($"{row}: this test cannot see the assemblies of {breakage.Package} (add them to ShippedAssemblies)");
                continue;
            }
            string expected = breakage.IsType && row.IsNamespaceMove
                ? "T:" + row.NewNamespace + breakage.Name[row.OldNamespace.Length..]
                : breakage.Target[..2] + row.NewName;
            if (!DocumentationId.PublicSurface(assemblies).Contains(expected))
                missing.Add($"{row}: {expected} is not public in {breakage.Package} {string.Join(" + ", assemblies.Select(a => a.GetName().Name))} (for {breakage.Target})");
        }

        Assert.That(missing, Is.Empty, "Migration rows whose new name does not exist:\n" + string.Join("\n", missing));
    }

    [Test]
    public void EveryPackageOfThePreviousReleaseIsValidatedAgainstIt()
    {
        string previous = PreviousRelease;
        string folder = Path.Combine(Root, "eng", "baseline-packages", previous);
        string[] packages = Directory.GetFiles(folder, "*.nupkg").Select(p => Path.GetFileName(p)[..^$".{previous}.nupkg".Length]).Order(StringComparer.Ordinal).ToArray();

        Assert.That(packages, Is.Not.Empty, $"no baseline packages in {folder}");
        foreach (string package in packages)
        {
            string project = Path.Combine(Root, "src", package, package + ".csproj");
            Assert.That(File.Exists(project), Is.True, $"{package} {previous} has no project {project}");
            string? enabled = XDocument.Load(project).Descendants("EnablePackageValidation").LastOrDefault()?.Value;
            Assert.That(enabled, Is.EqualTo("true"), $"{project}: EnablePackageValidation is off, so its package is not compared with {package} {previous}");
        }
    }

    /// <summary>The row that accounts for a break: one naming it exactly, else for a type the namespace move of its namespace.</summary>
    private static MigrationRow? RowFor(ApiCompatSuppression breakage, List<MigrationRow> rows)
    {
        var exact = rows.Where(r => r.Package == breakage.Package && r.OldName == breakage.Name).ToList();
        Assert.That(exact, Has.Count.LessThanOrEqualTo(1), $"two migration rows for {breakage}: {string.Join("; ", exact)}");
        if (exact.Count == 1) return exact[0];
        if (!breakage.IsType) return null;
        string ns = breakage.Name[..breakage.Name.LastIndexOf('.')];
        return rows.SingleOrDefault(r => r.Package == breakage.Package && r.IsNamespaceMove && r.OldNamespace == ns);
    }
}
