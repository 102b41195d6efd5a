using System.Text.RegularExpressions;

namespace SpectralGate.Tasks.Tests;

/// <summary>
/// The "Set up" section of docs/gate.md as data: its MSBuild block (what goes in the project file) and its shell
/// blocks (the commands, in order), so the test that follows the doc cannot drift from it.
/// </summary>
internal sealed record GateSetUpSteps(string ProjectItems, IReadOnlyList<IReadOnlyList<string>> Commands)
{
    public static GateSetUpSteps FromDocs(string repositoryRoot)
    {
        string doc = File.ReadAllText(Path.Combine(repositoryRoot, "docs", "gate.md"));
        var section = Regex.Match(doc, @"^## Set up\n(.*?)^## ", RegexOptions.Singleline | RegexOptions.Multiline);
        if (!section.Success) throw new InvalidOperationException("docs/gate.md has no '## Set up' section");
        var blocks = Regex.Matches(section.Groups[1].Value, @"^[ \t]*```(\w+)\n(.*?)^[ \t]*```", RegexOptions.Singleline | RegexOptions.Multiline)
            .Select(m => (Language: m.Groups[1].Value, Lines: m.Groups[2].Value.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0).ToList()))
            .ToList();
        string items = string.Join("\n", blocks.Single(b => b.Language == "xml").Lines);
        var commands = blocks.Where(b => b.Language == "bash").Select(b => (IReadOnlyList<string>)b.Lines).ToList();
        return new GateSetUpSteps(items, commands);
    }
}
