using System.Text;

namespace SpectralGate.Tests.Support;

/// <summary>
/// A public surface (the CLI, the MSBuild items and properties, the SG codes) held by a committed, reviewed file under
/// docs/surface/: one entry a line, <c>key</c> or <c>key = value</c>. A test computes the entries from the product and
/// this compares them by key with the file, so a change fails naming each entry added, removed or changed. The file is
/// the contract, not the product's output: it changes only by a deliberate, reviewed edit (docs/compatibility.md).
/// </summary>
internal static class SurfaceContract
{
    /// <summary>Set to 1 to rewrite the files from the product (a deliberate acceptance; review and commit the diff).</summary>
    public const string AcceptVariable = "SPECTRALGATE_ACCEPT_SURFACES";

    private const string Separator = " = ";

    public static void AssertUnchanged(string repositoryRoot, string fileName, IReadOnlyList<string> header, IEnumerable<string> entries)
    {
        string relative = "docs/surface/" + fileName;
        string path = Path.Combine(repositoryRoot, "docs", "surface", fileName);
        var current = Entries(entries, $"the surface computed for {relative}");

        if (Environment.GetEnvironmentVariable(AcceptVariable) == "1")
        {
            Write(path, header, current);
            TestContext.Out.WriteLine($"{AcceptVariable}=1: wrote {relative}; review its diff and commit it with the change.");
            return;
        }

        Assert.That(File.Exists(path), Is.True, $"{relative} is missing: create it with {AcceptVariable}=1, review it and commit it.");
        var committed = Entries(File.ReadLines(path).Where(l => l.Length > 0 && !l.StartsWith('#')), relative);
        string difference = Difference(committed, current);
        if (difference.Length > 0)
            Assert.Fail($"{relative} no longer matches the product:\n{difference}" +
                $"A change of this surface can break users (docs/compatibility.md, \"Surfaces held by tests\"). If it is meant, list it in " +
                $"CHANGELOG.md and accept it: edit {relative} as above, or run this test with {AcceptVariable}=1 (rewrites the file), and commit the file with the change.");
    }

    /// <summary>The lines that differ, by key: what was added, removed or changed since the committed file.</summary>
    public static string Difference(IReadOnlyDictionary<string, string?> committed, IReadOnlyDictionary<string, string?> current)
    {
        var text = new StringBuilder();
        foreach (var (key, value) in committed.Where(e => !current.ContainsKey(e.Key)))
            text.Append("  removed: ").AppendLine(Line(key, value));
        foreach (var (key, value) in current.Where(e => !committed.ContainsKey(e.Key)))
            text.Append("  added:   ").AppendLine(Line(key, value));
        foreach (var (key, value) in current.Where(e => committed.TryGetValue(e.Key, out var was) && was != e.Value))
            text.Append("  changed: ").Append(Line(key, committed[key])).Append("  ->  ").AppendLine(Line(key, value));
        return text.ToString();
    }

    /// <summary>Entries by key, in their order; a key given twice is an error (of the file or of the test).</summary>
    public static IReadOnlyDictionary<string, string?> Entries(IEnumerable<string> lines, string source)
    {
        var entries = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (string line in lines)
        {
            int at = line.IndexOf(Separator, StringComparison.Ordinal);
            string key = (at < 0 ? line : line[..at]).TrimEnd();
            string? value = at < 0 ? null : line[(at + Separator.Length)..].Trim();
            if (!entries.TryAdd(key, value))
                throw new InvalidOperationException($"{source}: the entry '{key}' appears twice.");
        }
        return entries;
    }

    private static string Line(string key, string? value) => value is null ? key : key + Separator + value;

    private static void Write(string path, IReadOnlyList<string> header, IReadOnlyDictionary<string, string?> entries)
    {
        var text = new StringBuilder();
        foreach (string line in header) text.Append("# ").Append(line).Append('\n');
        text.Append('\n');
        foreach (var (key, value) in entries) text.Append(Line(key, value)).Append('\n');
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        string temporary = path + ".tmp";
        File.WriteAllText(temporary, text.ToString(), new UTF8Encoding(false));
        File.Move(temporary, path, overwrite: true);
    }
}
