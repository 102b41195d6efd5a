using System.Text;
using System.Text.Json;
using SpectralGate.Engine.IO;
using SpectralGate.Engine.Signatures;

namespace SpectralGate.Engine.Deltas;

/// <summary>
/// The delta signature file: canonical JSON as <see cref="SignatureJson"/> writes signatures (keys sorted at every level,
/// two-space indent, LF, numbers through <see cref="CanonicalNumber"/>), so the same delta always gives the same bytes.
/// </summary>
public static class DeltaJson
{
    public static byte[] ToBytes(DeltaSignature delta)
    {
        var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, NewLine = "\n" }))
        {
            w.WriteStartObject();
            SignatureJson.WriteModel(w, "base", delta.Base);
            w.WriteNumber("format_version", delta.FormatVersion);
            w.WriteString("kind", "delta");
            w.WriteStartArray("layers");
            foreach (var layer in delta.Layers) WriteLayer(w, layer);
            w.WriteEndArray();
            WriteNames(w, "only_in_base", delta.OnlyInBase);
            WriteNames(w, "only_in_tuned", delta.OnlyInTuned);
            SignatureJson.WriteSettings(w, delta.Settings);
            SignatureJson.WriteSkipped(w, delta.Skipped);
            w.WriteStartObject("summary");
            w.WriteNumber("changed_count", delta.Count(DeltaStatus.Changed));
            w.WriteNumber("layer_count", delta.Layers.Count);
            w.WriteNumber("non_finite_count", delta.Count(DeltaStatus.NonFinite));
            w.WriteNumber("shape_changed_count", delta.Count(DeltaStatus.ShapeChanged));
            w.WriteNumber("unchanged_count", delta.Count(DeltaStatus.Unchanged));
            w.WriteEndObject();
            SignatureJson.WriteModel(w, "tuned", delta.Tuned);
            w.WriteEndObject();
        }
        buffer.WriteByte((byte)'\n');
        return buffer.ToArray();
    }

    public static string ToText(DeltaSignature delta) => Encoding.UTF8.GetString(ToBytes(delta));

    /// <summary>Writes the file atomically.</summary>
    public static void Write(string path, DeltaSignature delta) => AtomicFile.WriteAllBytes(path, ToBytes(delta));

    private static void WriteLayer(Utf8JsonWriter w, LayerDelta layer)
    {
        w.WriteStartObject();
        if (layer.BaseShape is not null) SignatureJson.WriteShape(w, "base_shape", layer.BaseShape);
        w.WriteStartObject("metrics");
        foreach (var (metric, value) in layer.Metrics.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            w.WritePropertyName(metric);
            if (value is double v && double.IsFinite(v)) w.WriteRawValue(CanonicalNumber.Format(v), skipInputValidation: true);
            else w.WriteNullValue();
        }
        w.WriteEndObject();
        w.WriteString("name", layer.Name);
        SignatureJson.WriteShape(w, "shape", layer.Shape);
        w.WriteString("status", LayerDelta.StatusName(layer.Status));
        w.WriteEndObject();
    }


    private static void WriteNames(Utf8JsonWriter w, string key, IReadOnlyList<string> names)
    {
        w.WriteStartArray(key);
        foreach (string n in names) w.WriteStringValue(n);
        w.WriteEndArray();
    }

}
