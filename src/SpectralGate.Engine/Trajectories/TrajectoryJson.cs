using System.Text.Json;
using SpectralGate.Engine.IO;
using SpectralGate.Engine.Names;
using SpectralGate.Engine.Signatures;

namespace SpectralGate.Engine.Trajectories;

/// <summary>
/// The trajectory file format (<c>*.trajectory.json</c>, docs/training.md): canonical JSON like a signature's (keys
/// sorted ordinal at every level, two-space indent, LF, numbers through <see cref="CanonicalNumber"/>), so the same
/// trajectory always gives the same bytes.
/// <code>
/// { "format_version": 1,
///   "records": [ { "layers": [ …a signature's layer objects… ], "scalars": { "train_loss": 0.25 },
///                  "sha256": "…" | null, "source": "ckpt/step-10.safetensors" | "live", "step": 10, "tier": "full" } ],
///   "settings": { …the signature settings, once… } }
/// </code>
/// Records are written in ascending (step, tier) order, each record's layers in natural name order. Reading is
/// <see cref="TrajectoryJsonReader"/>.
/// </summary>
public static class TrajectoryJson
{
    /// <summary>The <see cref="TrajectoryRecord.Source"/> of a record taken by the training monitor.</summary>
    public const string LiveSource = "live";

    /// <summary>Trajectory files larger than this are refused as corrupt (a thousand records of a hundred layers are about 200 MB).</summary>
    public const long MaxFileSize = 512L << 20;

    public static byte[] ToBytes(Trajectory trajectory)
    {
        ArgumentNullException.ThrowIfNull(trajectory);
        var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, NewLine = "\n" }))
        {
            w.WriteStartObject();
            w.WriteNumber("format_version", trajectory.FormatVersion);
            w.WriteStartArray("records");
            foreach (TrajectoryRecord record in CanonicalOrder(trajectory.Records)) WriteRecord(w, record);
            w.WriteEndArray();
            SignatureJson.WriteSettings(w, trajectory.Settings);
            w.WriteEndObject();
        }
        buffer.WriteByte((byte)'\n');
        return buffer.ToArray();
    }

    public static string ToText(Trajectory trajectory) => System.Text.Encoding.UTF8.GetString(ToBytes(trajectory));

    /// <summary>Writes the file atomically, each record's checkpoint path relative to the file (<see cref="PortableModelPath"/>).</summary>
    public static void Write(string path, Trajectory trajectory) => AtomicFile.WriteAllBytes(path, ToBytes(RecordedIn(trajectory, path)));

    /// <summary><paramref name="trajectory"/> with the checkpoint paths of its records made portable for <paramref name="recordingFile"/>.</summary>
    public static Trajectory RecordedIn(Trajectory trajectory, string recordingFile)
    {
        ArgumentNullException.ThrowIfNull(trajectory);
        return new Trajectory
        {
            FormatVersion = trajectory.FormatVersion,
            Settings = trajectory.Settings,
            Records = trajectory.Records.Select(r => r.Source == LiveSource ? r : r.WithSource(PortableModelPath.For(r.Source, recordingFile))).ToList(),
        };
    }

    /// <summary>
    /// <paramref name="trajectory"/>, read from <paramref name="readFrom"/>, with its checkpoint paths (relative to that
    /// file) made relative to <paramref name="writeTo"/> instead. Lexical: the checkpoints need not exist on this
    /// machine (shards of a series computed elsewhere), so no machine path enters the written file.
    /// </summary>
    public static Trajectory Rebased(Trajectory trajectory, string readFrom, string writeTo)
    {
        ArgumentNullException.ThrowIfNull(trajectory);
        string from = Path.GetDirectoryName(Path.GetFullPath(readFrom))!;
        string to = Path.GetDirectoryName(Path.GetFullPath(writeTo))!;
        if (from == to) return trajectory;
        return new Trajectory
        {
            FormatVersion = trajectory.FormatVersion,
            Settings = trajectory.Settings,
            Records = trajectory.Records.Select(r => r.Source == LiveSource || Path.IsPathRooted(r.Source) ? r
                : r.WithSource(Path.GetRelativePath(to, Path.GetFullPath(Path.Combine(from, r.Source))).Replace('\\', '/'))).ToList(),
        };
    }

    /// <summary>
    /// Ascending step, then tier (ordinal), each record's layers in natural name order; two records with the same step
    /// and tier are a caller's error (the reader refuses them in a file, <see cref="TrajectoryMerge"/> names them).
    /// </summary>
    public static IReadOnlyList<TrajectoryRecord> CanonicalOrder(IEnumerable<TrajectoryRecord> records)
    {
        var ordered = records.OrderBy(r => r.Step).ThenBy(r => r.Tier, StringComparer.Ordinal).ToList();
        for (int i = 1; i < ordered.Count; i++)
            if (ordered[i].Step == ordered[i - 1].Step && ordered[i].Tier == ordered[i - 1].Tier)
                throw new ArgumentException($"step {ordered[i].Step} ({ordered[i].Tier}) is recorded twice ('{ordered[i - 1].Source}' and '{ordered[i].Source}').");
        return ordered;
    }

    /// <summary>The canonical bytes of one record alone: what "the same contents" means when merging.</summary>
    internal static byte[] RecordBytes(TrajectoryRecord record)
    {
        var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer)) WriteRecord(w, record);
        return buffer.ToArray();
    }

    private static void WriteRecord(Utf8JsonWriter w, TrajectoryRecord record)
    {
        w.WriteStartObject();
        w.WriteStartArray("layers");
        foreach (LayerSignature layer in record.Layers.OrderBy(l => l.Name, NaturalNameComparer.Instance)) SignatureJson.WriteLayer(w, layer);
        w.WriteEndArray();
        w.WriteStartObject("scalars");
        // A diverged loss is NaN or infinite: written as null (JSON has no such numbers), read back as NaN.
        foreach (var (name, value) in record.Scalars.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            if (double.IsFinite(value)) SignatureJson.WriteNumber(w, name, value);
            else w.WriteNull(name);
        }
        w.WriteEndObject();
        if (record.Sha256 is null) w.WriteNull("sha256");
        else w.WriteString("sha256", record.Sha256);
        w.WriteString("source", record.Source.Replace('\\', '/'));
        w.WriteNumber("step", record.Step);
        w.WriteString("tier", record.Tier);
        w.WriteEndObject();
    }
}
