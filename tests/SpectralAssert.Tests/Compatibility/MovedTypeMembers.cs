using System.IO.Compression;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;

namespace SpectralAssert.Tests.Compatibility;

/// <summary>
/// The members a moved type lost on the way. ApiCompat reports a type that changed namespace only as missing (CP0001)
/// and never compares its members, so a member renamed, removed or re-signed in the same release would go unseen:
/// here each type of the previous release's package is read (MetadataLoadContext, nothing is loaded or run), its name
/// mapped through the migration table, and each public member's documentation ID, with every moved type in its
/// signature renamed too, looked up in this release.
/// </summary>
internal static class MovedTypeMembers
{
    public const string DiagnosticId = "member of a moved type";

    /// <summary>
    /// Each public member of a moved type that this release lacks under the new names, or keeps only as
    /// <c>[Obsolete]</c> (a softened break is still one to list); <see cref="ApiCompatSuppression.Hint"/> names the
    /// members of the same name it has now.
    /// </summary>
    public static List<ApiCompatSuppression> Differences(string baselinePackage, string package, IReadOnlyList<MigrationRow> rows, Assembly[] shipped)
    {
        var surface = DocumentationId.PublicSurface(shipped);
        var obsolete = DocumentationId.ObsoleteMembers(shipped);
        using var context = new MetadataLoadContext(new PathAssemblyResolver(ResolverPaths(package)));
        var old = context.LoadFromByteArray(LibraryAssembly(baselinePackage, package));
        // Only types that left their name: the others are compared member by member by ApiCompat itself.
        var exported = old.GetExportedTypes().Where(t => !surface.Contains(DocumentationId.Of(t))).ToArray();

        var renamed = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var type in exported.Where(t => !t.IsNested))
            if (NewTypeName(package, DocumentationId.Of(type)[2..], rows) is { } moved) renamed[DocumentationId.Of(type)[2..]] = moved;
        foreach (var type in exported.Where(t => t.IsNested).OrderBy(t => DocumentationId.Of(t).Length))
            if (renamed.TryGetValue(DocumentationId.Of(type.DeclaringType!)[2..], out string? outer)) renamed[DocumentationId.Of(type)[2..]] = outer + "." + type.Name;

        var differences = new List<ApiCompatSuppression>();
        foreach (var type in exported.Where(t => renamed.ContainsKey(DocumentationId.Of(t)[2..])))
            foreach (string member in DocumentationId.Members(type))
            {
                string now = Rename(member, renamed);
                if (surface.Contains(now) && !obsolete.Contains(now)) continue;
                string stem = now.Split('(')[0];
                var sameName = surface.Where(id => id.Split('(')[0] == stem && !obsolete.Contains(id)).Order(StringComparer.Ordinal).Select(id => id[2..]);
                differences.Add(new ApiCompatSuppression(package, DiagnosticId, member) { Hint = string.Join(" | ", sameName) });
            }
        return differences;
    }

    /// <summary>The name a type of the previous release has now, by the migration table; null if no row moves it.</summary>
    public static string? NewTypeName(string package, string oldName, IEnumerable<MigrationRow> rows)
    {
        var exact = rows.FirstOrDefault(r => r.Package == package && r.OldName == oldName);
        if (exact is not null) return exact.NewName == MigrationRow.Removed ? null : exact.NewName;
        int dot = oldName.LastIndexOf('.');
        var move = rows.FirstOrDefault(r => r.Package == package && r.IsNamespaceMove && dot > 0 && r.OldNamespace == oldName[..dot]);
        return move is null ? null : move.NewNamespace + oldName[dot..];
    }

    /// <summary>A documentation ID with each moved type, as the declaring type or in the signature, under its new name.</summary>
    public static string Rename(string id, IReadOnlyDictionary<string, string> renamed)
    {
        string kind = id[..2];
        int open = id.IndexOf('(');
        string head = open < 0 ? id[2..] : id[2..open], signature = open < 0 ? "" : id[open..];
        int dot = head.LastIndexOf('.');
        string declaring = head[..dot];
        head = (renamed.TryGetValue(declaring, out string? now) ? now : declaring) + head[dot..];
        signature = Regex.Replace(signature, @"[^(),{}@\[\]~*]+", m => renamed.TryGetValue(m.Value, out string? n) ? n : m.Value);
        return kind + head + signature;
    }

    private static byte[] LibraryAssembly(string baselinePackage, string package)
    {
        using var zip = ZipFile.OpenRead(baselinePackage);
        var entry = zip.Entries.Single(e => e.FullName.StartsWith("lib/", StringComparison.Ordinal) && e.Name == package + ".dll");
        using var stream = entry.Open();
        using var bytes = new MemoryStream();
        stream.CopyTo(bytes);
        return bytes.ToArray();
    }

    /// <summary>The runtime's assemblies and the test's (TorchSharp, NUnit, ...), less today's copy of the package's own.</summary>
    private static IEnumerable<string> ResolverPaths(string package) =>
        Directory.GetFiles(RuntimeEnvironment.GetRuntimeDirectory(), "*.dll")
            .Concat(Directory.GetFiles(AppContext.BaseDirectory, "*.dll").Where(p => Path.GetFileNameWithoutExtension(p) != package));
}
