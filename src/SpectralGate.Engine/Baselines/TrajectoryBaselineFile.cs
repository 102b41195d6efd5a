using System.Globalization;
using System.Text;
using System.Text.Json;
using SpectralGate.Engine.Errors;
using SpectralGate.Engine.IO;
using SpectralGate.Engine.Signatures;
using SpectralGate.Engine.Trajectories;

namespace SpectralGate.Engine.Baselines;

/// <summary>
/// A trajectory baseline file (<c>*.trajectory.verified.json</c>, or the <c>--baseline</c> of <c>check</c>): the
/// reference run as a trajectory file (<see cref="TrajectoryJson"/>, the same bytes), a <c>tolerances</c> section as a
/// signature baseline's, and for a baseline of several seeds a <c>band</c> section:
/// <code>
/// "band": { "k": 3 | null, "method": "envelope" | "mean_sd", "seeds": 5,
///           "series": [ { "layer": "fc1.weight", "metric": "alpha", "tier": "full",
///                         "points": [ {"high": 3.4, "low": 3, "mean": 3.2, "step": 10, "undefined": 0}, … ] } ] }
/// </code>
/// <c>low</c>/<c>high</c> are the seeds' core range (before the tolerance widens it), <c>mean</c> the value findings
/// report, <c>undefined</c> how many seeds had the metric undefined there. Without a <c>band</c> section the records
/// are the baseline's values, so any trajectory file is a one-run baseline.
/// </summary>
public static class TrajectoryBaselineFile
{
    /// <summary>The top-level keys a trajectory baseline has; others are warned about (SG1016), never refused.</summary>
    public static IReadOnlySet<string> TopLevelKeys { get; } = new HashSet<string>(StringComparer.Ordinal)
        { "band", "format_version", "records", "settings", "tolerances" };

    private const string EnvelopeName = "envelope";
    private const string MeanSdName = "mean_sd";

    public static byte[] ToBytes(TrajectoryBaseline baseline, TolerancePolicy policy)
    {
        ArgumentNullException.ThrowIfNull(baseline);
        // The trajectory's own canonical bytes, with the two sections spliced in at their sorted places: one writer of
        // the trajectory layout, so a one-run baseline reads the same as the trajectory it came from.
        string trajectory = Encoding.UTF8.GetString(TrajectoryJson.ToBytes(baseline.Reference));
        if (!trajectory.StartsWith("{\n", StringComparison.Ordinal) || !trajectory.EndsWith("\n}\n", StringComparison.Ordinal))
            throw new InvalidOperationException("the trajectory writer's layout changed: a baseline cannot be spliced into it.");
        var sb = new StringBuilder("{\n");
        if (baseline.Seeds > 1) sb.Append("  \"band\": ").Append(BandText(baseline)).Append(",\n");
        sb.Append(trajectory, 2, trajectory.Length - 5);
        var metrics = baseline.Bands.Keys.Select(k => k.Metric).Distinct().Order(StringComparer.Ordinal).ToList();
        sb.Append(",\n  \"tolerances\": ").Append(Nested(w => BaselineFile.WriteTolerances(w, metrics, policy))).Append("\n}\n");
        return Encoding.UTF8.GetBytes(sb.ToString());
    }

    /// <summary>Writes atomically, the records' checkpoint paths relative to the file (<see cref="TrajectoryJson.RecordedIn"/>).</summary>
    public static void Write(string path, TrajectoryBaseline baseline, TolerancePolicy policy) => AtomicFile.WriteAllBytes(path, BytesFor(path, baseline, policy));

    /// <summary>The bytes <see cref="Write"/> puts at <paramref name="path"/> (what auto-accept publishes without writing a received file).</summary>
    public static byte[] BytesFor(string path, TrajectoryBaseline baseline, TolerancePolicy policy) => ToBytes(new TrajectoryBaseline
    {
        Reference = TrajectoryJson.RecordedIn(baseline.Reference, path),
        Bands = baseline.Bands,
        Method = baseline.Method,
        K = baseline.K,
        Seeds = baseline.Seeds,
    }, policy);

    public static (TrajectoryBaseline Baseline, RecordedTolerances Tolerances) Read(string path) =>
        Parse(path, SignatureJson.ReadBytes(path, TrajectoryJson.MaxFileSize));

    /// <summary>As <see cref="Read"/>, from bytes the caller has read already (named <paramref name="path"/> in errors).</summary>
    public static (TrajectoryBaseline Baseline, RecordedTolerances Tolerances) Parse(string path, byte[] bytes)
    {
        Trajectory reference = TrajectoryJsonReader.Parse(path, bytes);
        RecordedTolerances tolerances = BaselineFile.ParseTolerances(path, bytes);
        try
        {
            using var doc = JsonDocument.Parse(bytes, new JsonDocumentOptions { MaxDepth = 16 });
            if (!doc.RootElement.TryGetProperty("band", out var band)) return (TrajectoryBaseline.Of(reference), tolerances);
            return (ParseBand(path, band, reference), tolerances);
        }
        catch (JsonException e)
        {
            throw new BaselineFormatException(path, null, $"not valid JSON: {JsonErrorText.Describe(e)}", e);
        }
    }

    private static string Nested(Action<Utf8JsonWriter> write)
    {
        var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, NewLine = "\n" })) write(w);
        return Encoding.UTF8.GetString(buffer.ToArray()).Replace("\n", "\n  ", StringComparison.Ordinal);
    }

    /// <summary>
    /// The band section as text, in the layout a Utf8JsonWriter indents (2 spaces, LF, keys sorted) except that each
    /// point stands on one line: a reviewer of the diff reads a step at a glance, and the file is a third as long.
    /// </summary>
    private static string BandText(TrajectoryBaseline baseline)
    {
        var sb = new StringBuilder("{\n");
        sb.Append("    \"k\": ").Append(baseline.K is double k ? CanonicalNumber.Format(k) : "null").Append(",\n");
        sb.Append("    \"method\": \"").Append(baseline.Method == BandMethod.Envelope ? EnvelopeName : MeanSdName).Append("\",\n");
        sb.Append("    \"seeds\": ").Append(baseline.Seeds.ToString(CultureInfo.InvariantCulture)).Append(",\n");
        sb.Append("    \"series\": [");
        bool firstSeries = true;
        foreach (var (key, points) in baseline.Bands.OrderBy(p => p.Key, TrajectoryBaseline.KeyOrder.Instance))
        {
            sb.Append(firstSeries ? "\n" : ",\n");
            firstSeries = false;
            sb.Append("      {\n");
            sb.Append("        \"layer\": ").Append(Quoted(key.Layer)).Append(",\n");
            sb.Append("        \"metric\": ").Append(Quoted(key.Metric)).Append(",\n");
            sb.Append("        \"points\": [");
            for (int i = 0; i < points.Count; i++)
            {
                BandPoint p = points[i];
                sb.Append(i == 0 ? "\n" : ",\n").Append(CultureInfo.InvariantCulture,
                    $"          {{\"high\": {Number(p.High)}, \"low\": {Number(p.Low)}, \"mean\": {Number(p.Mean)}, \"step\": {p.Step}, \"undefined\": {p.Undefined}}}");
            }
            sb.Append(points.Count == 0 ? "],\n" : "\n        ],\n");
            sb.Append("        \"tier\": ").Append(Quoted(key.Tier)).Append('\n');
            sb.Append("      }");
        }
        sb.Append(firstSeries ? "]\n" : "\n    ]\n");
        sb.Append("  }");
        return sb.ToString();
    }

    // The escaping Utf8JsonWriter applies to the same names in the records.
    private static string Quoted(string text) => "\"" + JsonEncodedText.Encode(text).ToString() + "\"";

    private static string Number(double? value) => value is double v ? CanonicalNumber.Format(v) : "null";

    private static TrajectoryBaseline ParseBand(string path, JsonElement band, Trajectory reference)
    {
        if (band.ValueKind != JsonValueKind.Object) throw new BaselineFormatException(path, null, "'band' is not an object.");
        string method = SignatureJson.RequireString(path, null, band, "method");
        if (method is not (EnvelopeName or MeanSdName)) throw new BaselineFormatException(path, null, $"band method '{method}' is not '{EnvelopeName}' or '{MeanSdName}'.");
        double? k = band.TryGetProperty("k", out var kv) && kv.ValueKind == JsonValueKind.Number ? kv.GetDouble() : null;
        if (method == MeanSdName && k is not (> 0)) throw new BaselineFormatException(path, null, "a mean_sd band needs a positive 'k'.");
        if (!SignatureJson.Require(path, null, band, "seeds", JsonValueKind.Number).TryGetInt32(out int seeds) || seeds < 1)
            throw new BaselineFormatException(path, null, "band 'seeds' is not a positive integer.");

        var expected = TrajectoryBaseline.Of(reference).Bands;
        var bands = new SortedDictionary<BandKey, IReadOnlyList<BandPoint>>(TrajectoryBaseline.KeyOrder.Instance);
        foreach (var s in SignatureJson.Require(path, null, band, "series", JsonValueKind.Array).EnumerateArray())
        {
            if (s.ValueKind != JsonValueKind.Object) throw new BaselineFormatException(path, null, "a band series is not an object.");
            var key = new BandKey(SignatureJson.RequireString(path, null, s, "tier"), SignatureJson.RequireString(path, null, s, "layer"), SignatureJson.RequireString(path, null, s, "metric"));
            if (!expected.TryGetValue(key, out var recorded))
                throw new BaselineFormatException(path, key.Layer, $"the band has a series of '{key.Metric}' ({key.Tier}) that the records do not have.");
            var points = new List<BandPoint>();
            foreach (var p in SignatureJson.Require(path, key.Layer, s, "points", JsonValueKind.Array).EnumerateArray())
                points.Add(ParsePoint(path, key, p));
            if (!points.Select(p => p.Step).SequenceEqual(recorded.Select(p => p.Step)))
                throw new BaselineFormatException(path, key.Layer, $"the band of '{key.Metric}' ({key.Tier}) is not on the records' steps.");
            if (!bands.TryAdd(key, points)) throw new BaselineFormatException(path, key.Layer, $"the band of '{key.Metric}' ({key.Tier}) appears twice.");
        }
        if (expected.Keys.FirstOrDefault(key => !bands.ContainsKey(key)) is { Layer: not null } missing)
            throw new BaselineFormatException(path, missing.Layer, $"the band has no series of '{missing.Metric}' ({missing.Tier}), which the records have.");
        return new TrajectoryBaseline
        {
            Reference = reference, Bands = bands, Method = method == EnvelopeName ? BandMethod.Envelope : BandMethod.MeanSd,
            K = method == MeanSdName ? k : null, Seeds = seeds,
        };
    }

    private static BandPoint ParsePoint(string path, BandKey key, JsonElement p)
    {
        string where = $"a band point of '{key.Metric}'";
        if (p.ValueKind != JsonValueKind.Object || !p.TryGetProperty("step", out var st) || !st.TryGetInt64(out long step)
            || !p.TryGetProperty("undefined", out var u) || !u.TryGetInt32(out int undefined) || undefined < 0)
            throw new BaselineFormatException(path, key.Layer, $"{where} needs an integer 'step' and a non-negative 'undefined'.");
        double? Value(string name) => p.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetDouble()
            : p.TryGetProperty(name, out var n) && n.ValueKind == JsonValueKind.Null ? null
            : throw new BaselineFormatException(path, key.Layer, $"{where} at step {step} needs '{name}' (a number or null).");
        double? low = Value("low"), high = Value("high"), mean = Value("mean");
        bool allNull = low is null && high is null && mean is null;
        if (!allNull && (low is null || high is null || mean is null || !(low <= high) || !double.IsFinite(low.Value) || !double.IsFinite(high.Value)))
            throw new BaselineFormatException(path, key.Layer, $"{where} at step {step} needs finite 'low' ≤ 'high' and a 'mean', or all three null.");
        return new BandPoint(step, low, high, mean, undefined);
    }
}
