using System.Reflection;
using SpectralGate.Engine.Gate;
using SpectralGate.Tests.Support;

namespace SpectralGate.Engine.Tests.Gate;

/// <summary>
/// Every gate code is declared once, in <see cref="GateCodes"/>, and has exactly one rule and one row in each table of
/// the documents that list the codes (the analyzers' DocumentationTests, for the other code family). The codes are read
/// from the constants by reflection, not from <see cref="GateRules.All"/>, so a code left out of the rules shows.
/// </summary>
public class GateCodeRegistryTests
{
    public static IEnumerable<string> Codes() => typeof(GateCodes).GetFields(BindingFlags.Public | BindingFlags.Static)
        .Where(f => f.IsLiteral && f.FieldType == typeof(string)).Select(f => (string)f.GetRawConstantValue()!).Order(StringComparer.Ordinal);

    [Test]
    public void EveryCodeIsDeclaredOnceWithItsRule()
    {
        Assert.That(Codes(), Is.Unique.And.All.Match("^SG1[0-9]{3}$"));
        Assert.That(GateRules.All.Select(r => r.Id), Is.EqualTo(Codes()));
        Assert.That(GateRules.All.Select(r => r.Name), Is.Unique);
    }

    [TestCaseSource(nameof(Codes))]
    public void EachCodeHasARuleWithTextToShow(string code)
    {
        var rule = GateRules.Find(code);
        Assert.That(rule, Is.Not.Null);
        Assert.That(new[] { rule!.Name, rule.Description, rule.Help }, Has.All.Not.Empty);
    }

    [TestCaseSource(nameof(Codes))]
    public void EachCodeHasOneRowInTheGateDocument(string code) => Assert.That(Rows("gate.md", code), Is.EqualTo(1), $"docs/gate.md: rows of {code}");

    [TestCaseSource(nameof(Codes))]
    public void EachCodeHasOneRowInTheCliDocument(string code) => Assert.That(Rows("cli.md", code), Is.EqualTo(1), $"docs/cli.md: rows of {code}");

    [TestCase("gate.md")]
    [TestCase("cli.md")]
    public void TheDocumentsListNoCodeThatIsNotDeclared(string document)
    {
        var listed = File.ReadLines(Path.Combine(TestPaths.RepositoryRoot, "docs", document))
            .Where(l => l.StartsWith("| SG1", StringComparison.Ordinal)).Select(l => l.Split('|')[1].Trim());
        Assert.That(listed, Is.SubsetOf(Codes()));
    }

    [Test]
    public void TheEnvironmentFailuresAreTheCodesOfExitCode3()
    {
        // docs/cli.md's exit-code table: 3 is libtorch/tool (SG1008), memory (SG1009), eigensolver (SG1010), device (SG1011).
        Assert.That(Codes().Where(GateCodes.IsEnvironmentFailure), Is.EqualTo(new[] { "SG1008", "SG1009", "SG1010", "SG1011" }));
    }

    private static int Rows(string document, string code) =>
        File.ReadLines(Path.Combine(TestPaths.RepositoryRoot, "docs", document)).Count(l => l.StartsWith($"| {code} |", StringComparison.Ordinal));
}
