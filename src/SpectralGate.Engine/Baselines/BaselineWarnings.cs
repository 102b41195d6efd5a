using System.Text.Json;
using SpectralGate.Engine.Metrics;

namespace SpectralGate.Engine.Baselines;

/// <summary>
/// What a baseline holds that this release does not understand, as warnings naming the key and the file: unknown
/// top-level, <c>tolerances</c> or rule keys (a later release may add some, so never an error: forward compatibility),
/// and tolerance rules whose metric is unknown (a typo never applies), with the nearest known metric.
/// </summary>
public static class BaselineWarnings
{
    /// <summary>The top-level keys a baseline has (SignatureJson's and the <c>tolerances</c> section); BaselineWarningsTests keeps it in step with the writers.</summary>
    public static IReadOnlySet<string> TopLevelKeys { get; } = new HashSet<string>(StringComparer.Ordinal)
        { "coverage", "format_version", "layers", "model", "settings", "skipped", "summary", "tolerances" };

    private static readonly HashSet<string> ToleranceKeys = new(StringComparer.Ordinal) { "defaults", "rules" };
    private static readonly HashSet<string> RuleKeys = new(StringComparer.Ordinal) { "atol", "layers", "metric", "rtol" };

    /// <summary>The warnings for a baseline's <paramref name="bytes"/> (the caller names the file); none for JSON that does not parse (the reader reports that).</summary>
    public static IReadOnlyList<string> Of(byte[] bytes) => Of(bytes, TopLevelKeys);

    /// <summary>As <see cref="Of(byte[])"/> for a file whose top-level keys are <paramref name="topLevelKeys"/> (a trajectory baseline's).</summary>
    public static IReadOnlyList<string> Of(byte[] bytes, IReadOnlySet<string> topLevelKeys)
    {
        var warnings = new List<string>();
        try
        {
            using var doc = JsonDocument.Parse(bytes, new JsonDocumentOptions { MaxDepth = 64 });
            if (doc.RootElement.ValueKind != JsonValueKind.Object) return warnings;
            Unknown(doc.RootElement, topLevelKeys, "", warnings);
            if (!doc.RootElement.TryGetProperty("tolerances", out var tolerances) || tolerances.ValueKind != JsonValueKind.Object) return warnings;
            Unknown(tolerances, ToleranceKeys, "tolerances.", warnings);
            if (!tolerances.TryGetProperty("rules", out var rules) || rules.ValueKind != JsonValueKind.Array) return warnings;
            int index = 0;
            foreach (var rule in rules.EnumerateArray())
            {
                if (rule.ValueKind != JsonValueKind.Object) continue;
                Unknown(rule, RuleKeys, $"tolerances.rules[{index}].", warnings);
                if (rule.TryGetProperty("metric", out var metric) && metric.ValueKind == JsonValueKind.String && !ToleranceMetricNames.IsKnown(metric.GetString()!))
                    warnings.Add($"tolerance rule {index} ('{RuleLayers(rule)}') never applies: {ToleranceMetricNames.Unknown(metric.GetString()!)}");
                index++;
            }
        }
        catch (JsonException)
        {
            // Not JSON: BaselineFile.Parse refuses it with the line and column.
        }
        return warnings;
    }

    private static void Unknown(JsonElement element, IReadOnlySet<string> known, string prefix, List<string> warnings)
    {
        foreach (var property in element.EnumerateObject())
            if (!known.Contains(property.Name))
                warnings.Add($"unknown key '{prefix}{property.Name}' ignored (written by a later release, or a typo).");
    }

    private static string RuleLayers(JsonElement rule) =>
        rule.TryGetProperty("layers", out var layers) && layers.ValueKind == JsonValueKind.String ? layers.GetString()! : "?";
}
