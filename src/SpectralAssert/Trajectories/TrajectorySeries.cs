using SpectralAssert.Assertions;
using SpectralGate.Engine.Signatures;
using SpectralGate.Engine.Trajectories;
using SpectralGate.Engine.Trajectories.Statistics;

namespace SpectralAssert.Trajectories;

/// <summary>One series an assertion judges: a layer's, an aggregate over layers, or a loop scalar.</summary>
internal sealed record SeriesRow(string Name, string? Layer, IReadOnlyList<TrajectoryPoint> Points);

/// <summary>
/// Which series of a trajectory an assertion judges: each selected layer's metric, one aggregate of them, or a scalar.
/// A per-layer scale (the μP normalisation) applies to each layer's values before any aggregate.
/// </summary>
internal sealed class TrajectorySeries
{
    private readonly LayerSelector? _selector;
    private readonly LayerAggregate? _aggregate;
    private readonly bool _scalar;

    private TrajectorySeries(LayerSelector? selector, string metric, LayerAggregate? aggregate, bool scalar)
    {
        _selector = selector;
        Metric = metric;
        _aggregate = aggregate;
        _scalar = scalar;
    }

    public static TrajectorySeries PerLayer(LayerSelector selector, string metric) => new(selector, metric, null, scalar: false);

    public static TrajectorySeries Scalar(string name) => new(null, name, null, scalar: true);

    public string Metric { get; }

    public bool IsScalar => _scalar;

    public TrajectorySeries Aggregated(LayerAggregate aggregate) =>
        _scalar ? throw new InvalidOperationException($"scalar {Metric} is one series already: there are no layers to aggregate.")
            : new(_selector, Metric, aggregate, scalar: false);

    /// <summary>"alpha of layers matching "fc*"", "mean alpha over layers matching "fc*"", "scalar test_accuracy".</summary>
    public string Describe() => _scalar ? $"scalar {Metric}"
        : _aggregate is { } a ? $"{LayerAggregates.Describe(a)} {Metric} over {_selector!.Describe()}"
        : $"{Metric} of {_selector!.Describe()}";

    /// <summary>The series to judge; an empty list when the selection matches no layer (or the scalar was never recorded).</summary>
    public IReadOnlyList<SeriesRow> Rows(Trajectory trajectory, Func<LayerSignature, double>? perLayerScale = null)
    {
        if (_scalar)
            return trajectory.Records.Any(r => r.Scalars.ContainsKey(Metric))
                ? [new SeriesRow($"scalar {Metric}", null, OnePerStep(trajectory.Records.Where(r => r.Scalars.ContainsKey(Metric)).Select(r => (r, (double?)r.Scalars[Metric]))))]
                : [];

        var layers = SelectedLayers(trajectory);
        if (_aggregate is not { } aggregate)
            return layers.Select(name => new SeriesRow(name, name, LayerPoints(trajectory, name, perLayerScale))).ToList();
        if (layers.Count == 0) return [];

        // At each step, the aggregate of the layers whose value is defined there.
        var perLayer = layers.Select(name => LayerPoints(trajectory, name, perLayerScale)).ToList();
        var points = perLayer.SelectMany(p => p).GroupBy(p => p.Step).OrderBy(g => g.Key).Select(g =>
        {
            var defined = g.Select(p => p.Value).OfType<double>().ToArray();
            double? value = defined.Length == 0 ? null : aggregate == LayerAggregate.Mean ? defined.Average() : RobustStatistics.Median(defined);
            return new TrajectoryPoint(g.Key, value);
        }).ToList();
        string name = $"{LayerAggregates.Describe(aggregate)} over {layers.Count} layers ({string.Join(", ", layers.Take(4))}{(layers.Count > 4 ? ", ..." : "")})";
        return [new SeriesRow(name, null, points)];
    }

    /// <summary>Names of the layers in the trajectory the selector accepts (judged on the layer's latest record).</summary>
    public IReadOnlyList<string> SelectedLayers(Trajectory trajectory) =>
        trajectory.LayerNames().Where(name => trajectory.Records.Reverse().Select(r => r.Layer(name)).First(l => l is not null) is { } latest && _selector!.Matches(latest)).ToList();

    private IReadOnlyList<TrajectoryPoint> LayerPoints(Trajectory trajectory, string layer, Func<LayerSignature, double>? scale) =>
        OnePerStep(trajectory.Records
            .Select(r => (Record: r, Layer: r.Layer(layer)))
            .Where(x => x.Layer is not null && x.Layer.Metrics.ContainsKey(Metric))
            .Select(x => (x.Record, scale is null ? x.Layer![Metric] : x.Layer![Metric] / scale(x.Layer))));

    /// <summary>
    /// One point per step, in step order: where a step has a cheap and a full record with the metric, the full one's
    /// value (the full signature measures what the cheap tier estimates).
    /// </summary>
    private static IReadOnlyList<TrajectoryPoint> OnePerStep(IEnumerable<(TrajectoryRecord Record, double? Value)> values) =>
        values.GroupBy(v => v.Record.Step).OrderBy(g => g.Key)
            .Select(g => new TrajectoryPoint(g.Key, g.OrderBy(v => v.Record.Tier == TrajectoryTiers.Full ? 0 : 1).First().Value))
            .ToList();
}
