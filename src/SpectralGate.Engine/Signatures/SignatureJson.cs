using System.Text;
using System.Text.Json;
using SpectralGate.Engine.Errors;
using SpectralGate.Engine.IO;
using SpectralGate.Engine.Matrices;

namespace SpectralGate.Engine.Signatures;

/// <summary>
/// The signature file format: JSON with keys sorted (ordinal) at every level, two-space indent, LF line ends,
/// numbers through <see cref="CanonicalNumber"/>, undefined metrics as <c>null</c>. The same signature always gives the
/// same bytes.
/// </summary>
public static class SignatureJson
{
    /// <summary>Signature files larger than this are refused as corrupt.</summary>
    public const long MaxFileSize = 256L << 20;

    public static byte[] ToBytes(SpectralSignature signature, Action<Utf8JsonWriter>? writeExtraSections = null, string? extraSectionName = null)
    {
        var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, NewLine = "\n" }))
        {
            w.WriteStartObject();
            // Only when there is something to say (quantized weights, or a minority analysed): plain models keep their bytes.
            if (signature.Coverage is { IsWorthWriting: true } coverage) WriteCoverage(w, coverage);
            w.WriteNumber("format_version", signature.FormatVersion);

            w.WriteStartArray("layers");
            foreach (var layer in signature.Layers) WriteLayer(w, layer);
            w.WriteEndArray();

            WriteModel(w, "model", signature.Model);
            WriteSettings(w, signature.Settings);
            WriteSkipped(w, signature.Skipped);

            w.WriteStartObject("summary");
            w.WriteStartObject("label_counts");
            foreach (var (label, count) in signature.LabelCounts()) w.WriteNumber(label, count);
            w.WriteEndObject();
            w.WriteNumber("layer_count", signature.Layers.Count);
            w.WriteStartObject("metric_means");
            foreach (var (metric, mean) in signature.MetricMeans()) WriteNumber(w, metric, mean);
            w.WriteEndObject();
            w.WriteNumber("skipped_count", signature.Skipped.Count);
            w.WriteEndObject();

            // Sections after "summary" in key order (e.g. "tolerances" of a baseline) are written by their owner.
            if (writeExtraSections is not null && extraSectionName is not null)
            {
                w.WritePropertyName(extraSectionName);
                writeExtraSections(w);
            }
            w.WriteEndObject();
        }
        buffer.WriteByte((byte)'\n');
        return buffer.ToArray();
    }

    public static string ToText(SpectralSignature signature) => Encoding.UTF8.GetString(ToBytes(signature));

    /// <summary>Writes the file atomically (temporary file + rename), the model path relative to it (<see cref="PortableModelPath"/>).</summary>
    public static void Write(string path, SpectralSignature signature) => AtomicFile.WriteAllBytes(path, ToBytes(PortableModelPath.RecordedIn(signature, path)));

    /// <summary>One layer object, as in a signature's <c>layers</c>; trajectories write their records' layers through it too.</summary>
    internal static void WriteLayer(Utf8JsonWriter w, LayerSignature layer)
    {
        w.WriteStartObject();
        // On one line: 32 numbers one per line would triple a baseline's length for no reader's benefit.
        if (layer.EsdQuantiles is { } esd)
        {
            w.WritePropertyName("esd_quantiles");
            w.WriteRawValue("[" + string.Join(", ", esd.Select(CanonicalNumber.Format)) + "]", skipInputValidation: true);
        }
        if (layer.Fingerprint is not null) w.WriteString("fingerprint", layer.Fingerprint);
        w.WriteString("kind", layer.Kind.ToJsonName());
        w.WriteStartArray("labels");
        foreach (var label in layer.Labels.OrderBy(l => l, StringComparer.Ordinal)) w.WriteStringValue(label);
        w.WriteEndArray();
        w.WriteStartObject("metrics");
        foreach (var (metric, value) in layer.Metrics.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            if (value is double v && double.IsFinite(v)) WriteNumber(w, metric, v);
            else w.WriteNull(metric);
        }
        w.WriteEndObject();
        w.WriteString("name", layer.Name);
        WriteShape(w, layer.Shape);
        w.WriteEndObject();
    }

    private static void WriteShape(Utf8JsonWriter w, long[] shape) => WriteShape(w, "shape", shape);

    // The model, settings and skipped sections, shared with the delta JSON so both describe a model alike.
    internal static void WriteShape(Utf8JsonWriter w, string key, long[] shape)
    {
        w.WriteStartArray(key);
        foreach (long d in shape) w.WriteNumberValue(d);
        w.WriteEndArray();
    }

    internal static void WriteModel(Utf8JsonWriter w, string name, ModelInfo model)
    {
        w.WriteStartObject(name);
        w.WriteString("format", model.Format);
        w.WriteNumber("parameter_count", model.ParameterCount);
        w.WriteString("path", model.Path.Replace('\\', '/'));
        w.WriteString("sha256", model.Sha256);
        w.WriteEndObject();
    }

    internal static void WriteSettings(Utf8JsonWriter w, IReadOnlyDictionary<string, string> settings)
    {
        w.WriteStartObject("settings");
        foreach (var (key, value) in settings.OrderBy(p => p.Key, StringComparer.Ordinal)) w.WriteString(key, value);
        w.WriteEndObject();
    }

    internal static void WriteSkipped(Utf8JsonWriter w, IEnumerable<SkippedTensor> skipped)
    {
        w.WriteStartArray("skipped");
        foreach (var s in skipped)
        {
            w.WriteStartObject();
            w.WriteString("name", s.Name);
            w.WriteString("reason", s.Reason);
            WriteShape(w, s.Shape);
            w.WriteEndObject();
        }
        w.WriteEndArray();
    }

    private static void WriteCoverage(Utf8JsonWriter w, SignatureCoverage coverage)
    {
        w.WriteStartObject("coverage");
        w.WriteNumber("analysed", coverage.Analysed);
        w.WriteNumber("analysed_parameters", coverage.AnalysedParameters);
        WriteCounts(w, "decoded", coverage.Decoded);
        WriteCounts(w, "not_decoded", coverage.NotDecoded);
        w.WriteNumber("weight_matrices", coverage.WeightMatrices);
        w.WriteNumber("weight_parameters", coverage.WeightParameters);
        w.WriteEndObject();
    }

    private static void WriteCounts(Utf8JsonWriter w, string name, IReadOnlyDictionary<string, int> counts)
    {
        w.WriteStartObject(name);
        foreach (var (key, count) in counts.OrderBy(p => p.Key, StringComparer.Ordinal)) w.WriteNumber(key, count);
        w.WriteEndObject();
    }

    /// <summary>The optional <c>coverage</c> (absent for plain models and files written before it).</summary>
    private static SignatureCoverage? ParseCoverage(string path, JsonElement root)
    {
        if (!root.TryGetProperty("coverage", out var c)) return null;
        if (c.ValueKind != JsonValueKind.Object) throw new BaselineFormatException(path, null, "'coverage' is not an object.");
        long Count(string key) => Require(path, null, c, key, JsonValueKind.Number).TryGetInt64(out long v) && v >= 0
            ? v : throw new BaselineFormatException(path, null, $"coverage.{key} is not a non-negative integer.");
        SortedDictionary<string, int> Counts(string key)
        {
            var counts = new SortedDictionary<string, int>(StringComparer.Ordinal);
            foreach (var p in Require(path, null, c, key, JsonValueKind.Object).EnumerateObject())
                counts[p.Name] = p.Value.ValueKind == JsonValueKind.Number && p.Value.TryGetInt32(out int n) && n >= 0
                    ? n : throw new BaselineFormatException(path, null, $"coverage.{key}.{p.Name} is not a non-negative integer.");
            return counts;
        }
        long matrices = Count("weight_matrices"), analysed = Count("analysed");
        if (matrices > int.MaxValue || analysed > matrices) throw new BaselineFormatException(path, null, "coverage.analysed is above coverage.weight_matrices.");
        return new SignatureCoverage
        {
            WeightMatrices = (int)matrices, Analysed = (int)analysed,
            WeightParameters = Count("weight_parameters"), AnalysedParameters = Count("analysed_parameters"),
            Decoded = Counts("decoded"), NotDecoded = Counts("not_decoded"),
        };
    }

    internal static void WriteNumber(Utf8JsonWriter w, string name, double value)
    {
        w.WritePropertyName(name);
        w.WriteRawValue(CanonicalNumber.Format(value), skipInputValidation: true);
    }

    /// <summary>Reads a signature (or baseline) file; any problem is a <see cref="BaselineFormatException"/> naming the file and layer.</summary>
    public static SpectralSignature Read(string path) => Parse(path, ReadBytes(path));

    /// <summary>The bytes of a signature or baseline file, refused when missing, unreadable or above the size limit.</summary>
    public static byte[] ReadBytes(string path) => ReadBytes(path, MaxFileSize);

    /// <summary>The bytes of a SpectralGate JSON file, refused when missing, unreadable or above <paramref name="maxFileSize"/>.</summary>
    internal static byte[] ReadBytes(string path, long maxFileSize)
    {
        byte[] bytes;
        try
        {
            var info = new FileInfo(path);
            if (!info.Exists) throw new BaselineFormatException(path, null, "file not found.");
            if (info.Length > maxFileSize) throw new BaselineFormatException(path, null, $"file is {info.Length} bytes, above the {maxFileSize}-byte limit.");
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new BaselineFormatException(path, null, $"cannot be read: {e.Message}", e);
        }
        return bytes;
    }

    public static SpectralSignature Parse(string path, ReadOnlySpan<byte> bytes) => ParseDocument(path, bytes, ParseRoot);

    /// <summary>The checks every SpectralGate JSON file gets before its own root is read (signatures, trajectories).</summary>
    internal static T ParseDocument<T>(string path, ReadOnlySpan<byte> bytes, Func<string, JsonElement, T> parseRoot)
    {
        // JsonDocument defers UTF-8 checks of string contents to GetString, which then throws InvalidOperationException
        // (found by fuzzing): check the whole file up front.
        if (!System.Text.Unicode.Utf8.IsValid(bytes))
            throw new BaselineFormatException(path, null, "is not valid UTF-8.");
        try
        {
            using var doc = JsonDocument.Parse(bytes.ToArray(), new JsonDocumentOptions { MaxDepth = 16 });
            return parseRoot(path, doc.RootElement);
        }
        catch (JsonException e)
        {
            throw new BaselineFormatException(path, null, $"not valid JSON: {JsonErrorText.Describe(e)}", e);
        }
    }

    private static SpectralSignature ParseRoot(string path, JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object) throw new BaselineFormatException(path, null, "not a JSON object.");
        int version = Require(path, null, root, "format_version", JsonValueKind.Number).TryGetInt32(out int v) ? v : -1;
        if (version < 1 || version > SpectralSignature.CurrentFormatVersion)
            throw new BaselineFormatException(path, null, $"format_version {version} is not supported (this SpectralGate reads 1 to {SpectralSignature.CurrentFormatVersion}).");

        JsonElement model = Require(path, null, root, "model", JsonValueKind.Object);
        var info = new ModelInfo(
            RequireString(path, null, model, "path"),
            RequireString(path, null, model, "format"),
            RequireString(path, null, model, "sha256"),
            Require(path, null, model, "parameter_count", JsonValueKind.Number).TryGetInt64(out long pc) ? pc : throw new BaselineFormatException(path, null, "model.parameter_count is not an integer."));

        var settings = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var p in Require(path, null, root, "settings", JsonValueKind.Object).EnumerateObject())
            settings[p.Name] = p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString()! : p.Value.GetRawText();

        var layers = new List<LayerSignature>();
        foreach (var l in Require(path, null, root, "layers", JsonValueKind.Array).EnumerateArray())
            layers.Add(ParseLayer(path, l));
        var duplicate = layers.GroupBy(l => l.Name).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null) throw new BaselineFormatException(path, duplicate.Key, "layer appears more than once.");

        var skipped = new List<SkippedTensor>();
        if (root.TryGetProperty("skipped", out var skippedElement) && skippedElement.ValueKind == JsonValueKind.Array)
            foreach (var s in skippedElement.EnumerateArray())
            {
                string name = RequireString(path, null, s, "name");
                skipped.Add(new SkippedTensor(name, ParseShape(path, name, s), RequireString(path, name, s, "reason")));
            }

        return new SpectralSignature { FormatVersion = version, Model = info, Settings = settings, Layers = layers, Skipped = skipped, Coverage = ParseCoverage(path, root) };
    }

    /// <summary>One layer object of a signature's <c>layers</c> (or a trajectory record's), checked as strictly.</summary>
    internal static LayerSignature ParseLayer(string path, JsonElement l)
    {
        if (l.ValueKind != JsonValueKind.Object) throw new BaselineFormatException(path, null, "a layer entry is not an object.");
        string name = RequireString(path, null, l, "name");
        LayerKind kind;
        try { kind = LayerKinds.FromJsonName(RequireString(path, name, l, "kind")); }
        catch (ArgumentException e) { throw new BaselineFormatException(path, name, e.Message, e); }

        var metrics = new SortedDictionary<string, double?>(StringComparer.Ordinal);
        foreach (var m in Require(path, name, l, "metrics", JsonValueKind.Object).EnumerateObject())
        {
            metrics[m.Name] = m.Value.ValueKind switch
            {
                JsonValueKind.Null => null,
                JsonValueKind.Number when m.Value.TryGetDouble(out double d) && double.IsFinite(d) => d,
                _ => throw new BaselineFormatException(path, name, $"metric '{m.Name}' is not a number or null."),
            };
        }
        var labels = new List<string>();
        foreach (var label in Require(path, name, l, "labels", JsonValueKind.Array).EnumerateArray())
            labels.Add(label.ValueKind == JsonValueKind.String ? label.GetString()! : throw new BaselineFormatException(path, name, "a label is not a string."));
        return new LayerSignature { Name = name, Kind = kind, Shape = ParseShape(path, name, l), Metrics = metrics, Labels = labels, EsdQuantiles = ParseEsd(path, name, l), Fingerprint = ParseFingerprint(path, name, l) };
    }

    /// <summary>The optional <c>esd_quantiles</c> (absent in files written before it): at least two positive, ascending numbers.</summary>
    private static double[]? ParseEsd(string path, string layer, JsonElement l)
    {
        if (!l.TryGetProperty("esd_quantiles", out var e)) return null;
        if (e.ValueKind != JsonValueKind.Array) throw new BaselineFormatException(path, layer, "'esd_quantiles' is not an array.");
        var values = new List<double>();
        foreach (var q in e.EnumerateArray())
        {
            if (q.ValueKind != JsonValueKind.Number || !q.TryGetDouble(out double v) || !double.IsFinite(v) || v <= 0 || (values.Count > 0 && v < values[^1]))
                throw new BaselineFormatException(path, layer, "'esd_quantiles' holds a value that is not a positive number at least the one before it.");
            values.Add(v);
        }
        return values.Count >= 2 ? values.ToArray() : throw new BaselineFormatException(path, layer, "'esd_quantiles' has fewer than two values.");
    }

    // Optional: signatures written before fingerprints have none, and compare as "not fingerprinted".
    private static string? ParseFingerprint(string path, string layer, JsonElement l)
    {
        if (!l.TryGetProperty("fingerprint", out var f)) return null;
        string? value = f.ValueKind == JsonValueKind.String ? f.GetString() : null;
        return value is { Length: 32 } && value.All(char.IsAsciiHexDigitLower) ? value
            : throw new BaselineFormatException(path, layer, "'fingerprint' is not 32 lower-case hex digits.");
    }

    private static long[] ParseShape(string path, string layer, JsonElement e)
    {
        var shape = new List<long>();
        foreach (var d in Require(path, layer, e, "shape", JsonValueKind.Array).EnumerateArray())
            shape.Add(d.ValueKind == JsonValueKind.Number && d.TryGetInt64(out long v) && v >= 0 ? v : throw new BaselineFormatException(path, layer, "shape holds a value that is not a non-negative integer."));
        return shape.ToArray();
    }

    internal static JsonElement Require(string path, string? layer, JsonElement e, string key, JsonValueKind kind)
    {
        if (!e.TryGetProperty(key, out var value) || value.ValueKind != kind)
            throw new BaselineFormatException(path, layer, $"'{key}' is missing or not a{(kind == JsonValueKind.Object ? "n object" : " " + kind.ToString().ToLowerInvariant())}.");
        return value;
    }

    internal static string RequireString(string path, string? layer, JsonElement e, string key) =>
        Require(path, layer, e, key, JsonValueKind.String).GetString()!;
}
