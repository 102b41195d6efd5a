using SpectralGate.Engine.Errors;

namespace SpectralGate.Engine.Trajectories;

/// <summary>
/// Joins trajectories of separate runs over different steps, or shards of one series computed apart: the union of
/// their records. Refuses trajectories computed with other settings, and a step (of one tier) recorded twice with
/// different contents; the same record twice (an overlap of two shards) is kept once, under the ordinal-first source,
/// so the merge does not depend on the order of its inputs.
/// </summary>
public static class TrajectoryMerge
{
    /// <param name="parts">Each trajectory with the file it was read from (named in errors).</param>
    public static Trajectory Merge(IReadOnlyList<(string Path, Trajectory Trajectory)> parts)
    {
        ArgumentNullException.ThrowIfNull(parts);
        if (parts.Count == 0) throw new ArgumentException("no trajectories to merge.");

        var (firstPath, first) = parts[0];
        var byStep = new Dictionary<(long Step, string Tier), (string Path, TrajectoryRecord Record, byte[] Contents)>();
        foreach (var (path, trajectory) in parts)
        {
            if (SettingsDifference(first.Settings, trajectory.Settings) is { } key)
                throw new BaselineFormatException(path, null, $"was computed with other settings than '{firstPath}' ({key}: {Show(trajectory.Settings, key)} against {Show(first.Settings, key)}); a trajectory holds one set of settings.");
            foreach (TrajectoryRecord record in trajectory.Records)
            {
                byte[] contents = TrajectoryJson.RecordBytes(record.WithSource(""));
                if (!byStep.TryGetValue((record.Step, record.Tier), out var seen))
                {
                    byStep[(record.Step, record.Tier)] = (path, record, contents);
                    continue;
                }
                if (!contents.AsSpan().SequenceEqual(seen.Contents))
                    throw new BaselineFormatException(path, null, $"step {record.Step} ({record.Tier}) is also in '{seen.Path}' with different contents ({Difference(seen.Record, record)}); remove one of them before merging.");
                if (string.CompareOrdinal(record.Source, seen.Record.Source) < 0) byStep[(record.Step, record.Tier)] = (path, record, contents);
            }
        }
        return new Trajectory
        {
            Settings = new SortedDictionary<string, string>(first.Settings.ToDictionary(), StringComparer.Ordinal),
            Records = TrajectoryJson.CanonicalOrder(byStep.Values.Select(v => v.Record)),
        };
    }

    private static string? SettingsDifference(IReadOnlyDictionary<string, string> a, IReadOnlyDictionary<string, string> b) =>
        a.Keys.Union(b.Keys).Order(StringComparer.Ordinal)
            .FirstOrDefault(k => !a.TryGetValue(k, out string? x) || !b.TryGetValue(k, out string? y) || x != y);

    private static string Show(IReadOnlyDictionary<string, string> settings, string key) => settings.TryGetValue(key, out string? v) ? $"'{v}'" : "absent";

    // What a reader needs to find the difference: the checkpoint hash, else the first layer or scalar that differs.
    private static string Difference(TrajectoryRecord a, TrajectoryRecord b)
    {
        if (a.Sha256 != b.Sha256) return $"checkpoint sha256 {a.Sha256 ?? "none"} against {b.Sha256 ?? "none"}";
        foreach (string name in a.Layers.Select(l => l.Name).Union(b.Layers.Select(l => l.Name)).Order(StringComparer.Ordinal))
        {
            var (x, y) = (a.Layer(name), b.Layer(name));
            if (x is null || y is null) return $"layer '{name}' only in one";
            if (!TrajectoryJson.RecordBytes(Only(a, x)).AsSpan().SequenceEqual(TrajectoryJson.RecordBytes(Only(a, y)))) return $"layer '{name}' differs";
        }
        return "scalars differ";
    }

    private static TrajectoryRecord Only(TrajectoryRecord template, Signatures.LayerSignature layer) =>
        new() { Step = template.Step, Source = "", Tier = template.Tier, Layers = [layer] };
}
