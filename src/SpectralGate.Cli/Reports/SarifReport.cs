using System.Text.Json;
using SpectralGate.Engine.Gate;
using SpectralGate.Engine.IO;

namespace SpectralGate.Cli.Reports;

/// <summary>
/// The gate's diagnostics as a SARIF 2.1.0 log, for GitHub code scanning and Azure DevOps: one run per model (its
/// <c>automationDetails.id</c>), one result per finding located in the baseline, and every SG code's rule metadata.
/// Models that share one file each keep their own run: a check replaces only its model's run.
/// </summary>
internal static class SarifReport
{
    public const string SchemaUri = "https://json.schemastore.org/sarif-2.1.0.json";

    public static void Write(string path, string modelPath, IReadOnlyList<GateDiagnostic> diagnostics)
    {
        string runId = "spectralgate/" + Path.GetFullPath(modelPath).Replace('\\', '/');
        var otherRuns = OtherRuns(path, runId);
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteString("$schema", SchemaUri);
            w.WriteString("version", "2.1.0");
            w.WriteStartArray("runs");
            foreach (var run in otherRuns) run.WriteTo(w);
            WriteRun(w, runId, diagnostics);
            w.WriteEndArray();
            w.WriteEndObject();
        }
        string? directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (directory is not null) Directory.CreateDirectory(directory);
        AtomicFile.WriteAllBytes(path, buffer.ToArray());
    }

    private static void WriteRun(Utf8JsonWriter w, string runId, IReadOnlyList<GateDiagnostic> diagnostics)
    {
        var rules = GateRules.All;
        w.WriteStartObject();
        w.WriteStartObject("tool");
        w.WriteStartObject("driver");
        w.WriteString("name", "spectralgate");
        w.WriteString("semanticVersion", typeof(SarifReport).Assembly.GetName().Version?.ToString(3) ?? "0.0.0");
        w.WriteStartArray("rules");
        foreach (var rule in rules)
        {
            w.WriteStartObject();
            w.WriteString("id", rule.Id);
            w.WriteString("name", rule.Name);
            w.WriteStartObject("shortDescription");
            w.WriteString("text", rule.Description);
            w.WriteEndObject();
            w.WriteStartObject("help");
            w.WriteString("text", rule.Help);
            w.WriteEndObject();
            w.WriteStartObject("defaultConfiguration");
            w.WriteString("level", rule.IsError ? "error" : "warning");
            w.WriteEndObject();
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteEndObject();
        w.WriteEndObject();
        w.WriteStartObject("automationDetails");
        w.WriteString("id", runId);
        w.WriteEndObject();
        w.WriteStartArray("results");
        foreach (var d in diagnostics)
        {
            int ruleIndex = rules.Select(r => r.Id).ToList().IndexOf(d.Code);
            w.WriteStartObject();
            w.WriteString("ruleId", d.Code);
            if (ruleIndex >= 0) w.WriteNumber("ruleIndex", ruleIndex);
            w.WriteString("level", d.IsError ? "error" : "warning");
            w.WriteStartObject("message");
            w.WriteString("text", d.Message);
            w.WriteEndObject();
            w.WriteStartArray("locations");
            w.WriteStartObject();
            w.WriteStartObject("physicalLocation");
            w.WriteStartObject("artifactLocation");
            w.WriteString("uri", new Uri(Path.GetFullPath(d.File)).AbsoluteUri);
            w.WriteEndObject();
            w.WriteStartObject("region");
            w.WriteNumber("startLine", Math.Max(1, d.Line));
            w.WriteNumber("startColumn", Math.Max(1, d.Column));
            w.WriteEndObject();
            w.WriteEndObject();
            w.WriteEndObject();
            w.WriteEndArray();
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteEndObject();
    }

    /// <summary>The runs of other models already in the file; none when it is absent or not a SARIF log.</summary>
    private static List<JsonElement> OtherRuns(string path, string runId)
    {
        if (!File.Exists(path)) return [];
        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllBytes(path));
            if (!doc.RootElement.TryGetProperty("runs", out var runs) || runs.ValueKind != JsonValueKind.Array) return [];
            return runs.EnumerateArray()
                .Where(r => !(r.TryGetProperty("automationDetails", out var a) && a.TryGetProperty("id", out var id) && id.GetString() == runId))
                .Select(r => r.Clone())
                .ToList();
        }
        catch (JsonException)
        {
            return []; // not ours to keep: the log is rewritten
        }
    }
}
