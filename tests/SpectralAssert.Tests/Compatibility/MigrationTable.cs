using System.Text.RegularExpressions;

namespace SpectralAssert.Tests.Compatibility;

/// <summary>
/// The rows of CHANGELOG.md's migration tables (sections headed <c>### Migration</c>):
/// <c>| package | `old name` | `new name` | how |</c>. An old name ending in <c>.*</c> is a namespace move: every type of
/// that namespace keeps its name in the new namespace. A new name of <c>—</c> means removed without replacement.
/// </summary>
internal sealed record MigrationRow(string Package, string OldName, string NewName, int Line)
{
    public const string Removed = "—";

    public bool IsNamespaceMove => OldName.EndsWith(".*", StringComparison.Ordinal);

    public string OldNamespace => OldName[..^2];

    public string NewNamespace => NewName[..^2];

    public override string ToString() => $"CHANGELOG.md:{Line}: {Package} `{OldName}` -> `{NewName}`";

    public static List<MigrationRow> Read(string changelog)
    {
        var rows = new List<MigrationRow>();
        string[] lines = File.ReadAllLines(changelog);
        bool inMigration = false;
        for (int i = 0; i < lines.Length; i++)
        {
            string line = lines[i].Trim();
            if (line.StartsWith('#')) inMigration = line.StartsWith("### Migration", StringComparison.Ordinal);
            if (!inMigration || !line.StartsWith('|')) continue;
            // Code spans as Markdown writes them: a name holding `` (a generic method) is fenced by ``` ... ```.
            var match = Regex.Match(line, @"^\|\s*([\w.]+)\s*\|\s*(?<t1>`+) ?(?<old>.+?) ?\k<t1>\s*\|\s*(?:(?<t2>`+) ?(?<new>.+?) ?\k<t2>|—)\s*\|");
            if (match.Success)
                rows.Add(new MigrationRow(match.Groups[1].Value, match.Groups["old"].Value, match.Groups["new"].Success ? match.Groups["new"].Value : Removed, i + 1));
            else if (!Regex.IsMatch(line, @"^\|\s*(package|-+)\s*\|"))
                Assert.Fail($"CHANGELOG.md:{i + 1}: a migration row must read | package | `old` | `new` or — | how |: {line}");
        }
        return rows;
    }
}
