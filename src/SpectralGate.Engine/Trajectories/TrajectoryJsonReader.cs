using System.Text.Json;
using SpectralGate.Engine.Errors;
using SpectralGate.Engine.Signatures;

namespace SpectralGate.Engine.Trajectories;

/// <summary>
/// Reads a trajectory file (<see cref="TrajectoryJson"/>) as strictly as a signature: any problem is a
/// <see cref="BaselineFormatException"/> naming the file, and the step and layer where there is one (CLI exit 2).
/// </summary>
public static class TrajectoryJsonReader
{
    public static Trajectory Read(string path) => Parse(path, SignatureJson.ReadBytes(path, TrajectoryJson.MaxFileSize));

    /// <summary>
    /// True when the file is a JSON object with <c>records</c> (a trajectory), false for anything else (a signature,
    /// a model); the file is then read by its own reader, which names what is wrong with it.
    /// </summary>
    public static bool IsTrajectory(string path)
    {
        try
        {
            byte[] bytes = SignatureJson.ReadBytes(path, TrajectoryJson.MaxFileSize);
            if (!System.Text.Unicode.Utf8.IsValid(bytes)) return false;
            using var doc = JsonDocument.Parse(bytes, new JsonDocumentOptions { MaxDepth = 16 });
            return doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty("records", out _);
        }
        catch (Exception e) when (e is BaselineFormatException or JsonException)
        {
            return false;
        }
    }

    public static Trajectory Parse(string path, ReadOnlySpan<byte> bytes) => SignatureJson.ParseDocument(path, bytes, ParseRoot);

    private static Trajectory ParseRoot(string path, JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object) throw new BaselineFormatException(path, null, "not a JSON object.");
        if (!root.TryGetProperty("records", out _) && root.TryGetProperty("layers", out _))
            throw new BaselineFormatException(path, null, "is a signature (it has 'layers' and no 'records'), not a trajectory.");
        int version = SignatureJson.Require(path, null, root, "format_version", JsonValueKind.Number).TryGetInt32(out int v) ? v : -1;
        if (version < 1 || version > Trajectory.CurrentFormatVersion)
            throw new BaselineFormatException(path, null, $"format_version {version} is not supported (this SpectralGate reads trajectories of version 1 to {Trajectory.CurrentFormatVersion}).");

        var settings = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var p in SignatureJson.Require(path, null, root, "settings", JsonValueKind.Object).EnumerateObject())
            settings[p.Name] = p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString()! : p.Value.GetRawText();

        var records = new List<TrajectoryRecord>();
        var seen = new HashSet<(long, string)>();
        foreach (var r in SignatureJson.Require(path, null, root, "records", JsonValueKind.Array).EnumerateArray())
        {
            TrajectoryRecord record = ParseRecord(path, r);
            if (!seen.Add((record.Step, record.Tier)))
                throw new BaselineFormatException(path, null, $"step {record.Step} ({record.Tier}) is recorded more than once.");
            records.Add(record);
        }
        return new Trajectory { FormatVersion = version, Settings = settings, Records = TrajectoryJson.CanonicalOrder(records) };
    }

    private static TrajectoryRecord ParseRecord(string path, JsonElement r)
    {
        if (r.ValueKind != JsonValueKind.Object) throw new BaselineFormatException(path, null, "a record is not an object.");
        long step = SignatureJson.Require(path, null, r, "step", JsonValueKind.Number).TryGetInt64(out long s) && s >= 0
            ? s : throw new BaselineFormatException(path, null, "a record's 'step' is not a non-negative integer.");
        string where = $"record of step {step}";
        try
        {
            string tier = SignatureJson.RequireString(path, null, r, "tier");
            if (tier != TrajectoryTiers.Full && tier != TrajectoryTiers.Cheap)
                throw new BaselineFormatException(path, null, $"tier '{tier}' is not '{TrajectoryTiers.Full}' or '{TrajectoryTiers.Cheap}'.");
            string source = SignatureJson.RequireString(path, null, r, "source");
            string? sha = ParseSha256(path, r);

            var layers = new List<LayerSignature>();
            var names = new HashSet<string>(StringComparer.Ordinal);
            foreach (var l in SignatureJson.Require(path, null, r, "layers", JsonValueKind.Array).EnumerateArray())
            {
                LayerSignature layer = SignatureJson.ParseLayer(path, l);
                if (!names.Add(layer.Name)) throw new BaselineFormatException(path, layer.Name, "layer appears more than once.");
                layers.Add(layer);
            }
            layers.Sort((a, b) => Names.NaturalNameComparer.Instance.Compare(a.Name, b.Name));

            var scalars = new SortedDictionary<string, double>(StringComparer.Ordinal);
            foreach (var p in SignatureJson.Require(path, null, r, "scalars", JsonValueKind.Object).EnumerateObject())
                scalars[p.Name] = p.Value.ValueKind switch
                {
                    JsonValueKind.Null => double.NaN,
                    JsonValueKind.Number when p.Value.TryGetDouble(out double d) && double.IsFinite(d) => d,
                    _ => throw new BaselineFormatException(path, null, $"scalar '{p.Name}' is not a number or null."),
                };
            return new TrajectoryRecord { Step = step, Tier = tier, Source = source, Sha256 = sha, Layers = layers, Scalars = scalars };
        }
        catch (BaselineFormatException e) when (e.FilePath == path)
        {
            throw new BaselineFormatException(path, e.Layer, $"{where}: {e.Problem}", e);
        }
    }

    private static string? ParseSha256(string path, JsonElement r)
    {
        if (!r.TryGetProperty("sha256", out var e)) throw new BaselineFormatException(path, null, "'sha256' is missing (null for a live record).");
        if (e.ValueKind == JsonValueKind.Null) return null;
        string? value = e.ValueKind == JsonValueKind.String ? e.GetString() : null;
        return value is { Length: 64 } && value.All(char.IsAsciiHexDigitLower) ? value
            : throw new BaselineFormatException(path, null, "'sha256' is not 64 lower-case hex digits or null.");
    }
}
