using System.Globalization;
using System.Text.Json;
using SpectralGate.Engine.Errors;
using SpectralGate.Engine.IO;
using SpectralGate.Engine.Signatures;

namespace SpectralGate.Engine.Baselines;

/// <summary>
/// A baseline: a signature file plus a <c>tolerances</c> section recording the defaults and overrides in force when
/// it was accepted, so a reviewer of the diff sees what was allowed to move.
/// </summary>
public static class BaselineFile
{
    public static byte[] ToBytes(SpectralSignature signature, TolerancePolicy policy)
    {
        // esd_distance is a comparison's, not a layer's: its default is recorded when the layers carry the summaries it compares.
        var metrics = signature.Layers.SelectMany(l => l.EsdQuantiles is null ? l.Metrics.Keys : l.Metrics.Keys.Append(Metrics.MetricNames.EsdDistance))
            .Distinct().OrderBy(m => m, StringComparer.Ordinal).ToList();
        return SignatureJson.ToBytes(signature, w => WriteTolerances(w, metrics, policy), "tolerances");
    }

    /// <summary>The <c>tolerances</c> section's object: the built-in default of each of <paramref name="metrics"/> (sorted), then the rules in order.</summary>
    internal static void WriteTolerances(Utf8JsonWriter w, IEnumerable<string> metrics, TolerancePolicy policy)
    {
        w.WriteStartObject();
        w.WriteStartObject("defaults");
        foreach (string metric in metrics) WriteTolerance(w, metric, ToleranceDefaults.For(metric));
        w.WriteEndObject();
        w.WriteStartArray("rules");
        foreach (var rule in policy.Rules)
        {
            w.WriteStartObject();
            WriteNumber(w, "atol", rule.Tolerance.Absolute);
            w.WriteString("layers", rule.LayerGlob);
            w.WriteString("metric", rule.Metric);
            WriteNumber(w, "rtol", rule.Tolerance.Relative);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteEndObject();
    }

    /// <summary>
    /// Writes atomically: a concurrent reader sees the old baseline or the new one, never a mix. The model path is
    /// recorded relative to the baseline (<see cref="PortableModelPath"/>).
    /// </summary>
    public static void Write(string path, SpectralSignature signature, TolerancePolicy policy) => AtomicFile.WriteAllBytes(path, BytesFor(path, signature, policy));

    /// <summary>The bytes <see cref="Write"/> puts at <paramref name="path"/> (what auto-accept publishes without writing a received file).</summary>
    public static byte[] BytesFor(string path, SpectralSignature signature, TolerancePolicy policy) => ToBytes(PortableModelPath.RecordedIn(signature, path), policy);

    /// <summary>The signature and the tolerance rules recorded with it.</summary>
    public static (SpectralSignature Signature, IReadOnlyList<ToleranceRule> Rules) Read(string path)
    {
        var (signature, recorded) = ReadRecorded(path);
        return (signature, recorded.Rules);
    }

    /// <summary>The signature and its whole <c>tolerances</c> section (rules and recorded defaults).</summary>
    public static (SpectralSignature Signature, RecordedTolerances Tolerances) ReadRecorded(string path)
    {
        // One read for both parts: a baseline replaced between two reads would mix one version's layers with another's rules.
        return Parse(path, SignatureJson.ReadBytes(path));
    }

    /// <summary>As <see cref="ReadRecorded(string)"/>, from bytes the caller has read already (named <paramref name="path"/> in errors).</summary>
    public static (SpectralSignature Signature, RecordedTolerances Tolerances) Parse(string path, byte[] bytes)
    {
        var signature = SignatureJson.Parse(path, bytes);
        return (signature, ParseTolerances(path, bytes));
    }

    /// <summary>The <c>tolerances</c> section of a baseline file's <paramref name="bytes"/> (nothing recorded when it has none); <paramref name="path"/> names the file in errors.</summary>
    internal static RecordedTolerances ParseTolerances(string path, byte[] bytes)
    {
        var rules = new List<ToleranceRule>();
        var defaults = new Dictionary<string, Tolerance>(StringComparer.Ordinal);
        try
        {
            using var doc = JsonDocument.Parse(bytes, new JsonDocumentOptions { MaxDepth = 16 });
            if (doc.RootElement.TryGetProperty("tolerances", out var tolerances)
                && tolerances.ValueKind == JsonValueKind.Object
                && tolerances.TryGetProperty("rules", out var list) && list.ValueKind == JsonValueKind.Array)
            {
                foreach (var r in list.EnumerateArray())
                {
                    string? layers = r.TryGetProperty("layers", out var l) && l.ValueKind == JsonValueKind.String ? l.GetString() : null;
                    string? metric = r.TryGetProperty("metric", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString() : null;
                    if (layers is null || metric is null || !r.TryGetProperty("atol", out var atol) || !r.TryGetProperty("rtol", out var rtol)
                        || !atol.TryGetDouble(out double a) || !rtol.TryGetDouble(out double rt) || a < 0 || rt < 0)
                        throw new BaselineFormatException(path, null, "a tolerance rule needs 'layers', 'metric', and non-negative 'atol' and 'rtol'.");
                    rules.Add(new ToleranceRule(layers, metric, new Tolerance(a, rt)));
                }
            }
            if (doc.RootElement.TryGetProperty("tolerances", out var section) && section.ValueKind == JsonValueKind.Object
                && section.TryGetProperty("defaults", out var recorded) && recorded.ValueKind == JsonValueKind.Object)
            {
                foreach (var d in recorded.EnumerateObject())
                {
                    if (d.Value.ValueKind != JsonValueKind.Object || !d.Value.TryGetProperty("atol", out var atol) || !d.Value.TryGetProperty("rtol", out var rtol)
                        || !atol.TryGetDouble(out double a) || !rtol.TryGetDouble(out double rt) || a < 0 || rt < 0)
                        throw new BaselineFormatException(path, null, $"the default tolerance of '{d.Name}' needs non-negative 'atol' and 'rtol'.");
                    defaults[d.Name] = new Tolerance(a, rt);
                }
            }
        }
        catch (JsonException e)
        {
            throw new BaselineFormatException(path, null, $"not valid JSON: {JsonErrorText.Describe(e)}", e);
        }
        return new RecordedTolerances(rules, defaults);
    }

    private static void WriteTolerance(Utf8JsonWriter w, string metric, Tolerance t)
    {
        w.WriteStartObject(metric);
        WriteNumber(w, "atol", t.Absolute);
        WriteNumber(w, "rtol", t.Relative);
        w.WriteEndObject();
    }

    private static void WriteNumber(Utf8JsonWriter w, string name, double value)
    {
        w.WritePropertyName(name);
        w.WriteRawValue(value.ToString("R", CultureInfo.InvariantCulture), skipInputValidation: true);
    }
}
