using SpectralGate.Engine.Signatures;
using SpectralGate.Engine.Trajectories;

namespace SpectralGate.Engine.Baselines;

/// <summary>The key of one band series: a metric of a layer in one tier of the records.</summary>
public readonly record struct BandKey(string Tier, string Layer, string Metric);

/// <summary>
/// What a trajectory is compared with: a reference run (its records give the layers, shapes and steps) and, per
/// (tier, layer, metric), the band at every recorded step. A baseline of one run is that run's values
/// (<see cref="Of"/>); one of several seeds (<see cref="TrajectoryBands.FromSeeds"/>) records an envelope or
/// mean ± k·sd per point, stored in the file's <c>band</c> section (docs/training.md).
/// </summary>
public sealed class TrajectoryBaseline
{
    /// <summary>The run whose records the baseline file holds: the run itself, or the first seed of a multi-seed baseline.</summary>
    public required Trajectory Reference { get; init; }

    /// <summary>Each series' points in ascending step order.</summary>
    public required IReadOnlyDictionary<BandKey, IReadOnlyList<BandPoint>> Bands { get; init; }

    public BandMethod Method { get; init; } = BandMethod.Envelope;

    /// <summary>The k of mean ± k·sd; null for an envelope.</summary>
    public double? K { get; init; }

    /// <summary>How many runs the bands were built from (1 for a single run).</summary>
    public int Seeds { get; init; } = 1;

    /// <summary>The band series of <paramref name="metric"/> on <paramref name="layer"/>, or null when the baseline has none.</summary>
    public IReadOnlyList<BandPoint>? Series(string layer, string metric, string tier = TrajectoryTiers.Full) =>
        Bands.TryGetValue(new BandKey(tier, layer, metric), out var points) ? points : null;

    /// <summary>A one-run baseline: every recorded value is its own band.</summary>
    public static TrajectoryBaseline Of(Trajectory run)
    {
        ArgumentNullException.ThrowIfNull(run);
        var bands = new SortedDictionary<BandKey, List<BandPoint>>(KeyOrder.Instance);
        foreach (TrajectoryRecord record in run.Records.OrderBy(r => r.Step))
            foreach (LayerSignature layer in record.Layers)
                foreach (var (metric, value) in layer.Metrics)
                {
                    var key = new BandKey(record.Tier, layer.Name, metric);
                    if (!bands.TryGetValue(key, out var points)) bands[key] = points = [];
                    points.Add(BandPoint.Of(record.Step, value));
                }
        return new TrajectoryBaseline { Reference = run, Bands = bands.ToDictionary(p => p.Key, p => (IReadOnlyList<BandPoint>)p.Value) };
    }

    /// <summary>Tier, then layer in natural order, then metric: the order of the file's <c>band</c> section and of reports.</summary>
    public sealed class KeyOrder : IComparer<BandKey>
    {
        public static KeyOrder Instance { get; } = new();

        public int Compare(BandKey x, BandKey y)
        {
            int c = string.CompareOrdinal(x.Tier, y.Tier);
            if (c == 0) c = Names.NaturalNameComparer.Instance.Compare(x.Layer, y.Layer);
            if (c == 0) c = string.CompareOrdinal(x.Layer, y.Layer);
            return c != 0 ? c : string.CompareOrdinal(x.Metric, y.Metric);
        }
    }
}
