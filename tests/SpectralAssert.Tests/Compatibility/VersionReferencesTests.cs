using System.Text.RegularExpressions;
using System.Xml.Linq;
using SpectralGate.Tests.Support;

namespace SpectralAssert.Tests.Compatibility;

/// <summary>
/// The install lines of README.md and docs/*.md, and the samples' package versions, name the version
/// Directory.Build.props gives the packages, so a version bump by the policy (docs/compatibility.md) cannot leave a
/// user copying the previous release's.
/// </summary>
public class VersionReferencesTests
{
    private static readonly string[] Packages = ["SpectralGate.Engine", "SpectralAssert", "SpectralGate.Tasks", "SpectralGate.Analyzers", "SpectralGate.Cli"];

    [Test]
    public void InstallLinesNameTheRepositoryVersion()
    {
        string root = TestPaths.RepositoryRoot;
        string version = XDocument.Load(Path.Combine(root, "Directory.Build.props")).Descendants("Version").Single().Value;
        string ids = string.Join("|", Packages.Select(Regex.Escape));
        // <PackageReference Include="Id" Version="x" />, dotnet add package Id --version x, dotnet tool install ... Id --version x,
        // and a sample's default <SpectralGateTasksVersion> (samples stand alone: they cannot read Directory.Build.props).
        var reference = new Regex($@"(?:Include=""(?<id>{ids})""\s+Version=""(?<v>[^""]+)""|\b(?<id>{ids})\b[^\n`]*?--version\s+(?<v>[^\s`]+)|<(?<id>SpectralGateTasksVersion)\b[^>]*>(?<v>[^<]+)<)");
        var files = new[] { Path.Combine(root, "README.md") }
            .Concat(Directory.EnumerateFiles(Path.Combine(root, "docs"), "*.md"))
            .Concat(Directory.EnumerateFiles(Path.Combine(root, "samples"), "*.csproj", SearchOption.AllDirectories))
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal);

        var found = new List<string>();
        var stale = new List<string>();
        foreach (string file in files)
        {
            string[] lines = File.ReadAllLines(file);
            for (int i = 0; i < lines.Length; i++)
                foreach (Match m in reference.Matches(lines[i]))
                {
                    string v = m.Groups["v"].Value;
                    // Prerelease examples (a local feed's -local build, a variable) are not install lines of a release.
                    if (v.Contains('-') || v.StartsWith('$') || v.StartsWith('<')) continue;
                    found.Add(v);
                    if (v != version) stale.Add($"{Path.GetRelativePath(root, file)}:{i + 1}: {m.Groups["id"].Value} {v}");
                }
        }

        Assert.That(found, Is.Not.Empty, "no install line with a version was found: the pattern no longer matches the docs");
        Assert.That(stale, Is.Empty, $"install lines that do not name version {version} (Directory.Build.props):\n" + string.Join("\n", stale));
    }
}
