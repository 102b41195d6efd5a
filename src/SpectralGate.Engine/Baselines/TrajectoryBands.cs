using SpectralGate.Engine.Signatures;
using SpectralGate.Engine.Trajectories;

namespace SpectralGate.Engine.Baselines;

/// <summary>
/// Builds a multi-seed trajectory baseline: the same training run under several seeds, recorded on the same steps
/// with the same settings, becomes one band per (tier, layer, metric, step), so a test of training dynamics judges
/// against the spread the seeds show instead of against one seed's noise.
/// </summary>
public static class TrajectoryBands
{
    /// <summary>The k of mean ± k·sd when none is given.</summary>
    public const double DefaultK = 3;

    /// <summary>A sample sd from two values is too unstable to bound anything (its relative error is ~75 %); three is the least.</summary>
    public const int MinimumSeedsForMeanSd = 3;

    /// <summary>
    /// The baseline of <paramref name="seeds"/> (the first is the reference whose records the file keeps). Each point's
    /// core range is [min, max] (<see cref="BandMethod.Envelope"/>) or mean ± k·sd with the sample sd
    /// (<see cref="BandMethod.MeanSd"/>) over the seeds where the metric is defined; the comparison widens it by the
    /// metric's tolerance at each edge. Values are summed in sorted order, so the seeds' order changes only the reference.
    /// </summary>
    /// <param name="seeds">The runs, recorded on the same steps with the same settings.</param>
    /// <param name="method">Envelope (default) or mean ± k·sd.</param>
    /// <param name="k">The k of mean ± k·sd (ignored for an envelope).</param>
    /// <param name="names">How errors name each seed (its file); "seed 1", "seed 2"... when null.</param>
    /// <exception cref="ArgumentException">Too few seeds, or seeds that differ in settings, steps, layers or metrics (named).</exception>
    public static TrajectoryBaseline FromSeeds(IReadOnlyList<Trajectory> seeds, BandMethod method = BandMethod.Envelope, double k = DefaultK, IReadOnlyList<string>? names = null)
    {
        ArgumentNullException.ThrowIfNull(seeds);
        string Name(int i) => names is not null && i < names.Count ? names[i] : $"seed {i + 1}";
        int minimum = method == BandMethod.MeanSd ? MinimumSeedsForMeanSd : 1;
        if (seeds.Count < minimum)
            throw new ArgumentException($"a {Describe(method)} band needs at least {minimum} seed trajectories; {seeds.Count} given.", nameof(seeds));
        if (method == BandMethod.MeanSd && !(k > 0 && double.IsFinite(k)))
            throw new ArgumentException($"k must be a positive number; {k} given.", nameof(k));

        Trajectory reference = seeds[0];
        var grid = Grid(reference);
        for (int i = 1; i < seeds.Count; i++) RequireSameShape(reference, Name(0), seeds[i], Name(i), grid);

        var index = seeds.Select(t => t.Records.ToDictionary(r => (r.Tier, r.Step))).ToList();
        var bands = new SortedDictionary<BandKey, IReadOnlyList<BandPoint>>(TrajectoryBaseline.KeyOrder.Instance);
        foreach (var key in TrajectoryBaseline.Of(reference).Bands.Keys)
        {
            var points = new List<BandPoint>();
            foreach (TrajectoryRecord record in reference.Records.Where(r => r.Tier == key.Tier).OrderBy(r => r.Step))
            {
                if (record.Layer(key.Layer) is null) continue;
                var values = new List<double>();
                int undefined = 0;
                for (int i = 0; i < seeds.Count; i++)
                {
                    LayerSignature layer = index[i][(key.Tier, record.Step)].Layer(key.Layer)!;
                    if (!layer.Metrics.TryGetValue(key.Metric, out double? value))
                        throw new ArgumentException($"{Name(i)}: layer '{key.Layer}' has no '{key.Metric}' at step {record.Step}, which {Name(0)} has; seeds must be recorded with the same settings.");
                    if (value is double v) values.Add(v);
                    else undefined++;
                }
                points.Add(Point(record.Step, values, undefined, method, k));
            }
            bands[key] = points;
        }
        return new TrajectoryBaseline { Reference = reference, Bands = bands, Method = method, K = method == BandMethod.MeanSd ? k : null, Seeds = seeds.Count };
    }

    public static string Describe(BandMethod method) => method == BandMethod.Envelope ? "envelope" : "mean ± k·sd";

    private static BandPoint Point(long step, List<double> values, int undefined, BandMethod method, double k)
    {
        if (values.Count == 0) return new BandPoint(step, null, null, null, undefined);
        values.Sort();
        double sum = 0;
        foreach (double v in values) sum += v;
        double mean = sum / values.Count;
        // Rounded as the file stores them (CanonicalNumber), so a baseline judges alike built in memory or read back.
        if (method == BandMethod.Envelope) return new BandPoint(step, CanonicalNumber.Round(values[0]), CanonicalNumber.Round(values[^1]), CanonicalNumber.Round(mean), undefined);
        double squares = 0;
        foreach (double v in values) squares += (v - mean) * (v - mean);
        // Fewer than two defined values leave no spread to measure: the band is the value, widened by the tolerance only.
        double sd = values.Count > 1 ? Math.Sqrt(squares / (values.Count - 1)) : 0;
        return new BandPoint(step, CanonicalNumber.Round(mean - k * sd), CanonicalNumber.Round(mean + k * sd), CanonicalNumber.Round(mean), undefined);
    }

    private static HashSet<(string Tier, long Step)> Grid(Trajectory t) => t.Records.Select(r => (r.Tier, r.Step)).ToHashSet();

    private static void RequireSameShape(Trajectory reference, string referenceName, Trajectory seed, string name, HashSet<(string Tier, long Step)> grid)
    {
        foreach (var key in reference.Settings.Keys.Union(seed.Settings.Keys).Order(StringComparer.Ordinal))
        {
            string? a = reference.Settings.GetValueOrDefault(key), b = seed.Settings.GetValueOrDefault(key);
            if (a != b) throw new ArgumentException($"{name}: setting '{key}' is '{b ?? "(absent)"}' but {referenceName} has '{a ?? "(absent)"}'; seeds of one baseline must be computed alike.");
        }
        var other = Grid(seed);
        if (grid.Except(other).OrderBy(p => p.Step).FirstOrDefault() is { Tier: not null } missing)
            throw new ArgumentException($"{name}: step {missing.Step} ({missing.Tier}) is not recorded, but {referenceName} records it; seeds must be recorded on the same steps.");
        if (other.Except(grid).OrderBy(p => p.Step).FirstOrDefault() is { Tier: not null } extra)
            throw new ArgumentException($"{name}: step {extra.Step} ({extra.Tier}) is recorded, but {referenceName} does not record it; seeds must be recorded on the same steps.");
        var records = seed.Records.ToDictionary(x => (x.Tier, x.Step));
        foreach (TrajectoryRecord r in reference.Records)
        {
            TrajectoryRecord s = records[(r.Tier, r.Step)];
            foreach (LayerSignature l in r.Layers)
            {
                if (s.Layer(l.Name) is not { } sl)
                    throw new ArgumentException($"{name}: layer '{l.Name}' is missing at step {r.Step}, which {referenceName} has.");
                if (!sl.Shape.SequenceEqual(l.Shape))
                    throw new ArgumentException($"{name}: layer '{l.Name}' has shape [{string.Join(", ", sl.Shape)}] but [{string.Join(", ", l.Shape)}] in {referenceName}.");
                if (sl.Metrics.Keys.FirstOrDefault(m => !l.Metrics.ContainsKey(m)) is { } extraMetric)
                    throw new ArgumentException($"{name}: layer '{l.Name}' has '{extraMetric}' at step {r.Step}, which {referenceName} lacks; seeds must be recorded with the same settings.");
            }
            if (s.Layers.FirstOrDefault(x => r.Layer(x.Name) is null) is { } added)
                throw new ArgumentException($"{name}: layer '{added.Name}' at step {r.Step} is not in {referenceName}.");
        }
    }
}
