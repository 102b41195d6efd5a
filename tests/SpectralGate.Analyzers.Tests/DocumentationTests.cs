using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace SpectralGate.Analyzers.Tests;

/// <summary>Every rule has a page in docs/rules whose header and table match its descriptor (NUnit.Analyzers' DocumentationTests).</summary>
public class DocumentationTests
{
    private static readonly string RulesDirectory = Path.Combine(RepositoryRoot(), "docs", "rules");

    public static IEnumerable<DiagnosticDescriptor> Descriptors() =>
        typeof(RuleIdentifiers).Assembly.GetTypes()
            .Where(t => !t.IsAbstract && typeof(DiagnosticAnalyzer).IsAssignableFrom(t) && t.GetCustomAttribute<DiagnosticAnalyzerAttribute>() is not null)
            .SelectMany(t => ((DiagnosticAnalyzer)Activator.CreateInstance(t)!).SupportedDiagnostics)
            .OrderBy(d => d.Id, StringComparer.Ordinal);

    [Test]
    public void Every_rule_identifier_has_an_analyzer()
    {
        var constants = typeof(RuleIdentifiers).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral && f.Name != nameof(RuleIdentifiers.HelpUriBase)).Select(f => (string)f.GetRawConstantValue()!);
        Assert.That(Descriptors().Select(d => d.Id), Is.EquivalentTo(constants).And.Unique);
    }

    [TestCaseSource(nameof(Descriptors))]
    public void Page_matches_descriptor(DiagnosticDescriptor descriptor)
    {
        var path = Path.Combine(RulesDirectory, descriptor.Id + ".md");
        Assert.That(path, Does.Exist, $"missing rule page for {descriptor.Id}");
        var text = File.ReadAllText(path);
        var lines = text.Split('\n');
        var severity = descriptor.DefaultSeverity.ToString();

        Assert.Multiple(() =>
        {
            Assert.That(lines[0].TrimEnd(), Is.EqualTo($"# {descriptor.Id} - {descriptor.Title}"));
            Assert.That(Row(text, "Id"), Is.EqualTo(descriptor.Id));
            Assert.That(Row(text, "Title"), Is.EqualTo(descriptor.Title.ToString()));
            Assert.That(Row(text, "Severity"), Is.EqualTo(severity));
            Assert.That(Row(text, "Enabled"), Is.EqualTo(descriptor.IsEnabledByDefault ? "Yes" : "No"));
            Assert.That(Row(text, "Category"), Is.EqualTo(descriptor.Category));
            Assert.That(descriptor.HelpLinkUri, Is.EqualTo(RuleIdentifiers.HelpUriBase + descriptor.Id + ".md"));
            foreach (var section in new[] { "## Why", "## Risky", "## Fixed", "## Options", "## How to suppress" })
            {
                Assert.That(text, Does.Contain("\n" + section + "\n"), $"{descriptor.Id}: section '{section}'");
            }
        });
    }

    [TestCaseSource(nameof(Descriptors))]
    public void Index_lists_rule(DiagnosticDescriptor descriptor)
    {
        var index = File.ReadAllText(Path.Combine(RulesDirectory, "README.md"));
        var row = index.Split('\n').SingleOrDefault(l => l.StartsWith($"| [{descriptor.Id}]({descriptor.Id}.md) |", StringComparison.Ordinal));
        Assert.That(row, Is.Not.Null, $"{descriptor.Id} missing from docs/rules/README.md");
        var cells = row!.Split('|').Select(c => c.Trim()).ToArray();
        Assert.That(cells[2..6], Is.EqualTo(new[] { descriptor.Title.ToString(), descriptor.DefaultSeverity.ToString(), descriptor.IsEnabledByDefault ? "Yes" : "No", descriptor.Category }));
    }

    [Test]
    public void Release_tracking_lists_every_rule()
    {
        var unshipped = File.ReadAllText(Path.Combine(RepositoryRoot(), "src", "SpectralGate.Analyzers", "AnalyzerReleases.Unshipped.md"));
        foreach (var descriptor in Descriptors())
        {
            var severity = descriptor.IsEnabledByDefault ? descriptor.DefaultSeverity.ToString() : "Disabled";
            Assert.That(unshipped, Does.Contain($"{descriptor.Id} | {descriptor.Category} | {severity} |"));
        }
    }

    private static string? Row(string text, string name)
    {
        var match = Regex.Match(text, @"^\|\s*" + Regex.Escape(name) + @"\s*\|\s*(.*?)\s*\|\s*$", RegexOptions.Multiline);
        return match.Success ? match.Groups[1].Value : null;
    }

    // From the build, not [CallerFilePath]: a CI build maps source paths to /_/.
    private static string RepositoryRoot() =>
        typeof(DocumentationTests).Assembly.GetCustomAttributes<System.Reflection.AssemblyMetadataAttribute>().Single(a => a.Key == "RepositoryRoot").Value!;
}
