using SpectralGate.Engine.Signatures;

namespace SpectralGate.Engine.Trajectories;

/// <summary>
/// How a model's spectra moved over training: one <see cref="TrajectoryRecord"/> per recorded step, in step order,
/// with the settings that produced every record stated once.
/// </summary>
public sealed class Trajectory
{
    /// <summary>Version of the JSON layout; readers refuse newer versions.</summary>
    public const int CurrentFormatVersion = 1;

    public int FormatVersion { get; init; } = CurrentFormatVersion;

    /// <summary>The signature settings every full record was computed with (<see cref="SpectralEngine.Settings"/>).</summary>
    public required IReadOnlyDictionary<string, string> Settings { get; init; }

    /// <summary>Records in ascending step order; a step appears at most once per tier.</summary>
    public required IReadOnlyList<TrajectoryRecord> Records { get; init; }

    /// <summary>The series of one metric of one layer: (step, value) for every record that has the layer, value null where undefined.</summary>
    public IReadOnlyList<TrajectoryPoint> Series(string layer, string metric, string? tier = null)
    {
        var points = new List<TrajectoryPoint>();
        foreach (TrajectoryRecord record in Records)
        {
            if (tier is not null && record.Tier != tier) continue;
            if (record.Layer(layer) is { } l && l.Metrics.ContainsKey(metric)) points.Add(new TrajectoryPoint(record.Step, l[metric]));
        }
        return points;
    }

    /// <summary>The series of a scalar the loop reported (<see cref="TrajectoryRecord.Scalars"/>).</summary>
    public IReadOnlyList<TrajectoryPoint> ScalarSeries(string name) =>
        Records.Where(r => r.Scalars.ContainsKey(name)).Select(r => new TrajectoryPoint(r.Step, r.Scalars[name])).ToList();

    /// <summary>Every layer name that appears in any record, in natural order.</summary>
    public IReadOnlyList<string> LayerNames() =>
        Records.SelectMany(r => r.Layers).Select(l => l.Name).Distinct().Order(Names.NaturalNameComparer.Instance).ToList();
}
