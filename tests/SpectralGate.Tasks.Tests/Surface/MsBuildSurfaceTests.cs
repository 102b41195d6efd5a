using System.Collections;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;
using SpectralGate.Tests.Support;

namespace SpectralGate.Tasks.Tests.Surface;

/// <summary>
/// What a project file may say to the packages is a contract: the properties with their defaults, the gate's item and
/// its metadata (with the task parameter and CLI flag each feeds) and the public targets, read from the props and
/// targets the packages ship (their projects' packed build/ items) and from what the gate's resolve task reads of an
/// item, must match the reviewed docs/surface/msbuild.txt.
/// </summary>
public partial class MsBuildSurfaceTests
{
    private static readonly string[] Header =
    [
        "What project files say to the packages: the Spectral* properties (the packages that ship them, their defaults), the SpectralModel item",
        "and its metadata (the task parameter and CLI flag each feeds), the public targets.",
        "Held by tests/SpectralGate.Tasks.Tests/Surface/MsBuildSurfaceTests against the props/targets the packages ship, ModelOptions and the resolve task.",
        "A change here can break project files: review it, list it in CHANGELOG.md, then accept (docs/compatibility.md).",
    ];

    [Test]
    public void TheProjectFileVocabularyMatchesTheReviewedSurface() =>
        SurfaceContract.AssertUnchanged(DotnetProcess.RepositoryRoot, "msbuild.txt", Header, Surface());

    private static IEnumerable<string> Surface()
    {
        var files = ShippedMsBuildFiles();
        var elements = files.SelectMany(f => f.Document.Descendants()).ToList();
        var texts = elements.SelectMany(e => e.Attributes().Select(a => a.Value).Concat(e.HasElements ? [] : [e.Value])).ToList();

        // Properties: every property of the product's (Spectral*) the packages set or read, with the packages that
        // mention it; the default is what a file sets when it is empty.
        var defaults = elements.Where(e => e.Parent?.Name.LocalName == "PropertyGroup"
                && (string?)e.Attribute("Condition") is { } condition && condition.Replace(" ", "") == $"'$({e.Name.LocalName})'==''")
            .GroupBy(e => e.Name.LocalName, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => string.Join(" | ", g.Select(e => $"'{e.Value.Trim()}'").Distinct()), StringComparer.Ordinal);
        var properties = files.SelectMany(f => f.Document.Descendants()
                .SelectMany(e => e.Attributes().Select(a => a.Value).Concat(e.HasElements ? [] : [e.Value]))
                .SelectMany(t => PropertyReference().Matches(t).Select(m => m.Groups[1].Value))
                .Concat(f.Document.Descendants().Where(e => e.Parent?.Name.LocalName == "PropertyGroup").Select(e => e.Name.LocalName))
                .Where(IsTheProducts)
                .Select(p => (Property: p, f.Package)))
            .GroupBy(p => p.Property, StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal);
        foreach (var property in properties)
            yield return $"property {property.Key} = {string.Join(", ", property.Select(p => p.Package).Distinct().Order(StringComparer.Ordinal))}"
                + (defaults.TryGetValue(property.Key, out var value) ? $", default {value}" : "");

        // Items: those the targets consume and never produce.
        var produced = elements.Where(e => e.Parent?.Name.LocalName == "ItemGroup").Select(e => e.Name.LocalName)
            .Concat(elements.Where(e => e.Name.LocalName == "Output").Select(e => (string?)e.Attribute("ItemName")).OfType<string>())
            .ToHashSet(StringComparer.Ordinal);
        var items = texts.SelectMany(t => ItemReference().Matches(t).Select(m => m.Groups[1].Value))
            .Where(i => IsTheProducts(i) && !produced.Contains(i)).Distinct().Order(StringComparer.Ordinal).ToList();
        foreach (string item in items) yield return $"item {item}";

        // Metadata of the models: what the resolve task reads of the user's item, and what the targets read of the
        // resolved item that the resolve task did not set itself.
        var resolve = elements.Single(e => e.Name.LocalName == nameof(SpectralGateResolveModels));
        string modelItem = ItemReference().Match((string)resolve.Attribute(nameof(SpectralGateResolveModels.Models))!).Groups[1].Value;
        var (readByResolve, setByResolve) = ResolveTaskMetadata();
        var wellKnown = new TaskItem("x").MetadataNames.Cast<string>().ToHashSet(StringComparer.Ordinal);
        var readByTargets = texts.SelectMany(t => MetadataReference().Matches(t).Select(m => m.Groups[2].Value));
        var metadata = readByResolve.Concat(readByTargets.Where(m => !setByResolve.Contains(m)))
            .Where(m => !wellKnown.Contains(m)).Distinct().Order(StringComparer.Ordinal);
        var check = elements.Single(e => e.Name.LocalName == nameof(SpectralGateCheck));
        foreach (string name in metadata)
        {
            // The task parameter that receives it (an attribute "%(Item.Name)") gives its type; a ModelOptions row its flag.
            string? parameter = check.Attributes().FirstOrDefault(a => MetadataReference().Match(a.Value) is { Success: true } m && m.Groups[2].Value == name)?.Name.LocalName;
            var type = parameter is null ? null : typeof(SpectralGateCheck).GetProperty(parameter)?.PropertyType;
            string? flag = ModelOptions.All.SingleOrDefault(o => o.Metadata == name)?.Flag;
            var parts = new[] { type is null ? "read by the resolve task" : TypeName(type), flag is null ? null : "passed as " + flag }.OfType<string>();
            yield return $"metadata {modelItem}.{name} = {string.Join(", ", parts)}";
        }

        foreach (string target in elements.Where(e => e.Name.LocalName == "Target").Select(e => (string)e.Attribute("Name")!)
                     .Where(IsTheProducts).Distinct().Order(StringComparer.Ordinal))
            yield return $"target {target}";
    }

    /// <summary>The product's own names (its private ones start with an underscore; MSBuild's and the SDK's are not its surface).</summary>
    private static bool IsTheProducts(string name) => name.StartsWith("Spectral", StringComparison.Ordinal);

    private sealed record ShippedFile(string Package, XDocument Document);

    /// <summary>Every .props/.targets a package ships in build/, buildTransitive/ or buildMultiTargeting/, read from the projects' packed items.</summary>
    private static List<ShippedFile> ShippedMsBuildFiles()
    {
        var files = new List<ShippedFile>();
        foreach (string project in Directory.EnumerateFiles(Path.Combine(DotnetProcess.RepositoryRoot, "src"), "*.csproj", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            var document = XDocument.Load(project);
            string directory = Path.GetDirectoryName(project)!;
            string package = document.Descendants("PackageId").Select(e => e.Value).FirstOrDefault() ?? Path.GetFileNameWithoutExtension(project);
            var packed = document.Descendants("None")
                .Where(e => (string?)e.Attribute("Pack") == "true" && ((string?)e.Attribute("PackagePath") ?? "").StartsWith("build", StringComparison.Ordinal))
                .SelectMany(e => ((string?)e.Attribute("Include") ?? (string?)e.Attribute("Update") ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries))
                .SelectMany(pattern => Expand(directory, pattern))
                .Where(f => f.EndsWith(".props", StringComparison.Ordinal) || f.EndsWith(".targets", StringComparison.Ordinal))
                .Distinct().Order(StringComparer.Ordinal);
            files.AddRange(packed.Select(f => new ShippedFile(package, XDocument.Load(f))));
        }
        Assert.That(files.Select(f => f.Package).Distinct(), Does.Contain("SpectralGate.Tasks"), "the gate's props and targets are found among the packed files");
        return files;
    }

    private static IEnumerable<string> Expand(string directory, string pattern)
    {
        int wildcard = pattern.IndexOf("**", StringComparison.Ordinal);
        if (wildcard < 0) return [Path.GetFullPath(Path.Combine(directory, pattern))];
        string root = Path.GetFullPath(Path.Combine(directory, pattern[..wildcard]));
        return Directory.Exists(root) ? Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories) : [];
    }

    /// <summary>Runs the resolve task on an item that records the metadata asked of it; returns those and what the task set on its output.</summary>
    private static (IReadOnlyCollection<string> Read, IReadOnlySet<string> Set) ResolveTaskMetadata()
    {
        using var folder = ScratchFolder.Create("sg-surface");
        var model = new RecordingItem("models/encoder.safetensors");
        var task = new SpectralGateResolveModels
        {
            BuildEngine = new RecordingBuildEngine(),
            Models = [model],
            ProjectDirectory = folder.Path,
            BaselineDirectory = Path.Combine(folder.Path, "baselines") + "/",
            StampDirectory = Path.Combine(folder.Path, "obj") + "/",
        };
        Assert.That(task.Execute(), Is.True);
        var set = task.ResolvedModels.Single().CloneCustomMetadata().Keys.Cast<string>().ToHashSet(StringComparer.Ordinal);
        return (model.Asked, set);
    }

    private static string TypeName(Type type) =>
        type == typeof(bool) ? "bool" : type == typeof(string) ? "string" : type == typeof(string[]) ? "string list (;-separated)" : type.Name;

    [GeneratedRegex(@"\$\((\w+)\)")]
    private static partial Regex PropertyReference();

    [GeneratedRegex(@"@\((\w+)[)\-]")]
    private static partial Regex ItemReference();

    [GeneratedRegex(@"%\((\w+)\.(\w+)\)")]
    private static partial Regex MetadataReference();

    /// <summary>A user's item with no metadata, keeping the names a task asks of it.</summary>
    private sealed class RecordingItem(string itemSpec) : ITaskItem
    {
        public List<string> Asked { get; } = [];
        public string ItemSpec { get; set; } = itemSpec;
        public ICollection MetadataNames => Array.Empty<string>();
        public int MetadataCount => 0;

        public string GetMetadata(string metadataName)
        {
            if (!Asked.Contains(metadataName)) Asked.Add(metadataName);
            return "";
        }

        public void SetMetadata(string metadataName, string metadataValue) => throw new InvalidOperationException($"the resolve task wrote '{metadataName}' on the user's item");
        public void RemoveMetadata(string metadataName) => throw new InvalidOperationException($"the resolve task removed '{metadataName}' from the user's item");
        public void CopyMetadataTo(ITaskItem destinationItem) { }
        public IDictionary CloneCustomMetadata() => new Hashtable();
    }
}
