using SpectralGate.Engine.Errors;
using SpectralGate.Engine.Signatures;
using SpectralGate.Engine.Sources;

namespace SpectralGate.Engine.Trajectories;

/// <summary>
/// The trajectory of a series of checkpoints: one full record per checkpoint, its layers the checkpoint's signature
/// under the given settings. A previous trajectory (the last run's output) is a cache: a checkpoint whose SHA-256 it
/// already holds, computed with the same settings, is not computed again (the metrics are a pure function of the
/// bytes and the settings), only re-stepped and re-sourced. Every checkpoint is opened before any is computed, so an
/// unreadable one is reported (by name, with the others) before minutes of spectra.
/// </summary>
public static class TrajectoryBuilder
{
    public static SeriesResult Build(IReadOnlyList<SeriesCheckpoint> checkpoints, SignatureOptions options, Trajectory? cache = null,
        IProgress<SeriesProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(checkpoints);
        ArgumentNullException.ThrowIfNull(options);
        if (options.Shard is not null) throw new ArgumentException("a trajectory is computed whole; --shard does not apply (merge trajectories of separate checkpoints instead).");
        if (checkpoints.Count == 0) throw new ArgumentException("no checkpoints in the series.");
        var settings = new SortedDictionary<string, string>(SpectralEngine.Settings(options).ToDictionary(), StringComparer.Ordinal);

        OpenEach(checkpoints);

        string? cacheUnused = cache is null ? null : SettingsDifference(cache.Settings, settings);
        var cached = new Dictionary<string, TrajectoryRecord>(StringComparer.Ordinal);
        if (cache is not null && cacheUnused is null)
            foreach (TrajectoryRecord r in cache.Records)
                if (r.Tier == TrajectoryTiers.Full && r.Sha256 is { } sha) cached.TryAdd(sha, r);

        var records = new List<TrajectoryRecord>();
        var computed = new List<SeriesCheckpoint>();
        var reused = new List<SeriesCheckpoint>();
        foreach (SeriesCheckpoint checkpoint in checkpoints)
        {
            cancellationToken.ThrowIfCancellationRequested();
            using ITensorSource source = ModelSources.Open(checkpoint.Path);
            string sha = source.ComputeSha256();
            bool hit = cached.TryGetValue(sha, out TrajectoryRecord? previous);
            IReadOnlyList<LayerSignature> layers = hit ? previous!.Layers : SpectralEngine.Compute(source, options, null, cancellationToken, sha).Layers;
            records.Add(new TrajectoryRecord { Step = checkpoint.Step, Source = checkpoint.Path, Tier = TrajectoryTiers.Full, Sha256 = sha, Layers = layers });
            (hit ? reused : computed).Add(checkpoint);
            progress?.Report(new SeriesProgress(records.Count, checkpoints.Count, checkpoint, hit));
        }
        return new SeriesResult(new Trajectory { Settings = settings, Records = TrajectoryJson.CanonicalOrder(records) }, computed, reused, cacheUnused);
    }

    /// <summary>Opens (and closes) every checkpoint, reporting all that cannot be read in one error naming each.</summary>
    private static void OpenEach(IReadOnlyList<SeriesCheckpoint> checkpoints)
    {
        var bad = new List<(SeriesCheckpoint Checkpoint, SpectralGateException Error)>();
        foreach (SeriesCheckpoint checkpoint in checkpoints)
        {
            try
            {
                using ITensorSource source = ModelSources.Open(checkpoint.Path);
                _ = source.Tensors.Count();
            }
            catch (ModelFormatException e)
            {
                bad.Add((checkpoint, e));
            }
        }
        if (bad.Count == 1) throw new ModelFormatException(bad[0].Error.FilePath, bad[0].Error.Layer, $"checkpoint of step {bad[0].Checkpoint.Step}: {bad[0].Error.Problem}", bad[0].Error);
        if (bad.Count > 1)
            throw new ModelFormatException(bad[0].Error.FilePath, bad[0].Error.Layer,
                $"checkpoint of step {bad[0].Checkpoint.Step}: {bad[0].Error.Problem} ({bad.Count - 1} more unreadable: "
                + string.Join("; ", bad.Skip(1).Select(b => $"{b.Error.Message}")) + ")", bad[0].Error);
    }

    private static string? SettingsDifference(IReadOnlyDictionary<string, string> cached, IReadOnlyDictionary<string, string> now)
    {
        string? key = cached.Keys.Union(now.Keys).Order(StringComparer.Ordinal)
            .FirstOrDefault(k => !cached.TryGetValue(k, out string? a) || !now.TryGetValue(k, out string? b) || a != b);
        return key is null ? null : $"the previous trajectory was computed with other settings ({key}): every checkpoint is computed again";
    }
}
