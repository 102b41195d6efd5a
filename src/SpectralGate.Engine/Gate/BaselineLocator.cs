using System.Text.Encodings.Web;
using System.Text.Json;

namespace SpectralGate.Engine.Gate;

/// <summary>
/// Finds where a layer's entry stands in a baseline file, so a diagnostic points the IDE at it. Baselines are
/// canonical JSON (one <c>"name": "..."</c> line per layer), so a line scan is exact.
/// </summary>
public static class BaselineLocator
{
    /// <summary>1-based (line, column) of the layer's <c>"name"</c> property, or (1, 1) when not found.</summary>
    public static (int Line, int Column) Find(IReadOnlyList<string> lines, string layer) => TryFind(lines, layer, 0, lines.Count) ?? (1, 1);

    /// <summary>1-based (line, column) of the layer's <c>"name"</c> property among lines [<paramref name="from"/>, <paramref name="to"/>), or null.</summary>
    public static (int Line, int Column)? TryFind(IReadOnlyList<string> lines, string layer, int from, int to)
    {
        string needle = "\"name\": " + JsonSerializer.Serialize(layer, new JsonSerializerOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        string needleStrict = "\"name\": " + JsonSerializer.Serialize(layer);
        for (int i = from; i < to; i++)
        {
            int at = lines[i].IndexOf(needleStrict, StringComparison.Ordinal);
            if (at < 0) at = lines[i].IndexOf(needle, StringComparison.Ordinal);
            if (at >= 0) return (i + 1, at + 1);
        }
        return null;
    }
}
