using SpectralGate.Engine.Names;
using SpectralGate.Engine.Errors;

namespace SpectralGate.Engine.Signatures;

/// <summary>
/// Joins the partial signatures of <c>--shard 1/n</c> … <c>n/n</c> into the signature a single run computes (the same
/// bytes once written). Refuses parts of different models (sha256, parameter count, format) or settings, missing or
/// repeated shards, and a layer twice; the model path is the first part's.
/// </summary>
public static class SignatureMerge
{
    /// <param name="parts">Each partial signature with the file it was read from (named in errors).</param>
    public static SpectralSignature Merge(IReadOnlyList<(string Path, SpectralSignature Signature)> parts)
    {
        ArgumentNullException.ThrowIfNull(parts);
        if (parts.Count == 0) throw new ArgumentException("no partial signatures to merge.");

        var shards = new SortedDictionary<int, string>();
        int count = -1;
        foreach (var (path, signature) in parts)
        {
            if (!signature.Settings.TryGetValue(ShardSpec.SettingsKey, out string? text))
                throw new BaselineFormatException(path, null, "is a whole signature, not a shard (its settings have no 'shard').");
            ShardSpec shard;
            try { shard = ShardSpec.Parse(text); }
            catch (ArgumentException e) { throw new BaselineFormatException(path, null, e.Message, e); }
            if (count == -1) count = shard.Count;
            if (shard.Count != count)
                throw new BaselineFormatException(path, null, $"is shard {shard} but '{parts[0].Path}' is one of {count}.");
            if (!shards.TryAdd(shard.Index, path))
                throw new BaselineFormatException(path, null, $"shard {shard} is also given as '{shards[shard.Index]}'.");
        }
        var missing = Enumerable.Range(1, count).Where(i => !shards.ContainsKey(i)).ToList();
        if (missing.Count > 0)
            throw new ArgumentException($"shards {string.Join(", ", missing.Select(i => $"{i}/{count}"))} are missing.");

        var (firstPath, first) = parts[0];
        var settings = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in first.Settings)
            if (key != ShardSpec.SettingsKey) settings[key] = value;

        var layers = new List<LayerSignature>();
        var skipped = new List<SkippedTensor>();
        var seen = new Dictionary<string, string>(StringComparer.Ordinal);
        var coverage = SignatureCoverage.Sum(parts.Select(p => p.Signature.Coverage));
        foreach (var (path, signature) in parts)
        {
            // The model is identified by its bytes, not its path: shards computed in different folders or on other runners join.
            if (signature.Model with { Path = first.Model.Path } != first.Model)
                throw new BaselineFormatException(path, null, $"is a shard of another model than '{firstPath}' (format, hash or parameter count differ).");
            foreach (var (key, value) in signature.Settings)
                if (key != ShardSpec.SettingsKey && (!settings.TryGetValue(key, out string? other) || other != value))
                    throw new BaselineFormatException(path, null, $"was computed with other settings than '{firstPath}' ({key}).");
            if (signature.Settings.Count != first.Settings.Count)
                throw new BaselineFormatException(path, null, $"was computed with other settings than '{firstPath}'.");
            foreach (var name in signature.Layers.Select(l => l.Name).Concat(signature.Skipped.Select(s => s.Name)))
                if (!seen.TryAdd(name, path) && seen[name] != path)
                    throw new BaselineFormatException(path, name, $"is also in '{seen[name]}'.");
            layers.AddRange(signature.Layers);
            skipped.AddRange(signature.Skipped);
        }

        if (layers.Count == 0) throw NothingAnalysedException.For(first.Model.Path, skipped.Count, skipped.Select(s => s.Reason));
        layers.Sort((a, b) => NaturalNameComparer.Instance.Compare(a.Name, b.Name));
        skipped.Sort((a, b) => NaturalNameComparer.Instance.Compare(a.Name, b.Name));
        return new SpectralSignature { Model = first.Model, Settings = settings, Layers = layers, Skipped = skipped, Coverage = coverage };
    }
}
