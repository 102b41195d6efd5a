using System.Text;

namespace SpectralGate.Engine.Snapshots;

/// <summary>
/// Undoes the compiler's <c>-pathmap</c> (MSBuild's <c>$(PathMap)</c>: <c>from=to</c> pairs, comma-separated, with
/// <c>,,</c> and <c>==</c> escaping literal commas and equals signs), so a mapped <c>[CallerFilePath]</c> such as
/// <c>/_/tests/MyTests.cs</c> becomes the real path again.
/// </summary>
public static class SourcePathMap
{
    /// <summary>The real path of <paramref name="mappedPath"/>, or null when no pair of <paramref name="pathMap"/> produced it.</summary>
    public static string? Unmap(string pathMap, string mappedPath)
    {
        foreach (var (from, to) in Pairs(pathMap).OrderByDescending(p => p.To.Length))
        {
            if (to.Length > 0 && mappedPath.StartsWith(to, StringComparison.Ordinal))
                return from + mappedPath[to.Length..];
        }
        return null;
    }

    /// <summary>The <c>from=to</c> pairs, unescaped.</summary>
    public static IReadOnlyList<(string From, string To)> Pairs(string pathMap)
    {
        var pairs = new List<(string, string)>();
        var from = new StringBuilder();
        var to = new StringBuilder();
        StringBuilder current = from;
        for (int i = 0; i < pathMap.Length; i++)
        {
            char c = pathMap[i];
            bool doubled = i + 1 < pathMap.Length && pathMap[i + 1] == c;
            if ((c == ',' || c == '=') && doubled) { current.Append(c); i++; continue; }
            if (c == '=' && current == from) { current = to; continue; }
            if (c == ',') { Add(); continue; }
            current.Append(c);
        }
        Add();
        return pairs;

        void Add()
        {
            if (from.Length > 0) pairs.Add((from.ToString(), to.ToString()));
            from.Clear();
            to.Clear();
            current = from;
        }
    }
}
