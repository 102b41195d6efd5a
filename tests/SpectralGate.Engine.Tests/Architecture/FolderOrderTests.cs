using System.Text.RegularExpressions;
using SpectralGate.Tests.Support;

namespace SpectralGate.Engine.Tests.Architecture;

/// <summary>
/// The engine's folders in pipeline order, read from the one place that declares it (the stage table of
/// docs/architecture.md), checked on the types each file names: a folder may name types of its own folder and of
/// earlier stages, never of its own stage's other folders or of a later stage. Also the never-arrows that concern
/// outside libraries, on symbols too.
/// </summary>
public class FolderOrderTests
{
    private static readonly Lazy<IReadOnlyList<EngineSymbols.Reference>> Engine = new(() => EngineSymbols.References());

    /// <summary>Folder → stage, from the rows <c>| N | `Folder` | ...</c> under "## The engine's folders" in docs/architecture.md.</summary>
    public static IReadOnlyDictionary<string, int> Stages()
    {
        var lines = File.ReadAllLines(Path.Combine(TestPaths.RepositoryRoot, "docs", "architecture.md"));
        int start = Array.FindIndex(lines, l => l.StartsWith("## The engine's folders", StringComparison.Ordinal));
        Assert.That(start, Is.GreaterThanOrEqualTo(0), "docs/architecture.md: the section '## The engine's folders'");
        return lines.Skip(start + 1).TakeWhile(l => !l.StartsWith("## ", StringComparison.Ordinal))
            .Select(l => Regex.Match(l, @"^\| (\d+) \| `([A-Za-z]+)/` \|")).Where(m => m.Success)
            .ToDictionary(m => m.Groups[2].Value, m => int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture), StringComparer.Ordinal);
    }

    public static IEnumerable<string> EngineFolders() =>
        Directory.GetDirectories(EngineSymbols.EngineRoot).Select(Path.GetFileName).Where(d => d is not ("bin" or "obj")).Order(StringComparer.Ordinal)!;

    [Test]
    public void TheDocumentNamesEveryFolderOfTheTreeAndNoOther()
    {
        Assert.That(Stages().Keys, Is.EquivalentTo(EngineFolders()));
    }

    [TestCaseSource(nameof(EngineFolders))]
    public void NothingFlowsBackwardsOrSideways(string folder)
    {
        Assert.That(Backwards(Engine.Value.Where(r => r.FromFolder == folder), Stages()), Is.Empty);
    }

    [Test]
    public void AQualifiedPartlyQualifiedOrAliasedBackReferenceIsSeen()
    {
        string fixture = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "architecture", "PlantedBackReference.cs.txt"));
        var planted = EngineSymbols.Parse(fixture, Path.Combine(EngineSymbols.EngineRoot, "Sources", "PlantedBackReference.cs"));

        var found = Backwards(EngineSymbols.References(planted).Where(r => r.File == "Sources/PlantedBackReference.cs"), Stages());

        // The alias directive (line 3) and the four bodies (lines 9, 11, 13 and 15, where only the alias names the type).
        Assert.That(found.Select(f => f.Split(' ')[0]), Is.SupersetOf(new[]
        {
            "Sources/PlantedBackReference.cs:9", "Sources/PlantedBackReference.cs:11", "Sources/PlantedBackReference.cs:13", "Sources/PlantedBackReference.cs:15",
        }));
        Assert.That(found, Has.All.Contains("Baselines"));
    }

    [Test]
    public void MetricsNeverNameADeviceATensorOrASource()
    {
        var offending = Engine.Value.Where(r => r.FromFolder == "Metrics"
            && (EngineSymbols.NamespaceOf(r.Type).StartsWith("TorchSharp", StringComparison.Ordinal) || r.ToFolder == "Sources")).Select(r => r.ToString());

        Assert.That(offending, Is.Empty);
    }

    [Test]
    public void TheEngineNamesNoTestFrameworkBuildSystemOrConsole()
    {
        var offending = Engine.Value.Where(r =>
        {
            string ns = EngineSymbols.NamespaceOf(r.Type);
            return ns.StartsWith("NUnit", StringComparison.Ordinal) || ns.StartsWith("Microsoft.Build", StringComparison.Ordinal)
                || ns.StartsWith("Microsoft.CodeAnalysis", StringComparison.Ordinal) || r.Type.ToDisplayString() == "System.Console";
        }).Select(r => r.ToString());

        Assert.That(offending, Is.Empty);
    }

    [Test]
    public void TheCheckResolvesTheEnginesOwnTypes()
    {
        // Guards the test itself: a compilation that resolved nothing would find no back-reference anywhere.
        Assert.That(Engine.Value.Count(r => r.ToFolder is not null && r.ToFolder != r.FromFolder), Is.GreaterThan(500));
    }

    private static List<string> Backwards(IEnumerable<EngineSymbols.Reference> references, IReadOnlyDictionary<string, int> stages) =>
    [
        .. references.Where(r => r.ToFolder is { } to && to != r.FromFolder && stages.ContainsKey(r.FromFolder) && stages.TryGetValue(to, out int s) && s >= stages[r.FromFolder])
            .Select(r => $"{r} ({r.FromFolder} is stage {stages[r.FromFolder]}, {r.ToFolder} is stage {stages[r.ToFolder!]})").Distinct(),
    ];
}
