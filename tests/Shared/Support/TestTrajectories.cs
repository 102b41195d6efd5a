using SpectralGate.Engine.Matrices;
using SpectralGate.Engine.Signatures;
using SpectralGate.Engine.Trajectories;

namespace SpectralGate.Tests.Support;

/// <summary>Synthetic series and trajectories with known answers for the trajectory statistics and assertions.</summary>
internal static class TestTrajectories
{
    /// <summary>WeightWatcher issue #307: one alpha per checkpoint of an LLM pretraining run (falls fast, then rises slowly).</summary>
    public static readonly (long Step, double Alpha)[] WeightWatcher307 =
    [
        (1_000, 28.94), (2_000, 15), (3_000, 7.1), (5_000, 4.4), (6_000, 4.2),
        (100_000, 4.7), (200_000, 4.9), (300_000, 5.0), (400_000, 5.1), (500_000, 5.2),
    ];

    public static IReadOnlyList<TrajectoryPoint> Points(IEnumerable<(long Step, double Value)> points) =>
        points.Select(p => new TrajectoryPoint(p.Step, p.Value)).ToList();

    /// <summary>value(step) at steps first, first + every, ... (count records).</summary>
    public static IReadOnlyList<TrajectoryPoint> Series(int count, long first, long every, Func<long, double> value) =>
        Enumerable.Range(0, count).Select(i => first + i * every).Select(s => new TrajectoryPoint(s, value(s))).ToList();

    /// <summary>Standard normal draws from a fixed seed (Box–Muller on System.Random, whose seeded sequence is stable).</summary>
    public static double[] Gaussian(int count, int seed)
    {
        var random = new Random(seed);
        var draws = new double[count];
        for (int i = 0; i < count; i++)
        {
            double u1 = 1.0 - random.NextDouble(), u2 = random.NextDouble();
            draws[i] = Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
        }
        return draws;
    }

    /// <summary>A trajectory whose layers each follow their own series of metric values: (layer, shape, metric, points).</summary>
    public static Trajectory Of(params (string Layer, long[] Shape, string Metric, IReadOnlyList<TrajectoryPoint> Points)[] series)
    {
        var steps = series.SelectMany(s => s.Points.Select(p => p.Step)).Distinct().Order().ToList();
        var records = steps.Select(step => new TrajectoryRecord
        {
            Step = step,
            Source = "live",
            Layers = series.GroupBy(s => s.Layer)
                .Select(g => (g.Key, g.First().Shape, Metrics: g.SelectMany(s => s.Points.Where(p => p.Step == step).Select(p => (s.Metric, p.Value))).ToList()))
                .Where(l => l.Metrics.Count > 0)
                .Select(l => new LayerSignature
                {
                    Name = l.Key,
                    Shape = l.Shape,
                    Kind = LayerKind.Linear,
                    Metrics = new SortedDictionary<string, double?>(l.Metrics.ToDictionary(m => m.Metric, m => m.Value), StringComparer.Ordinal),
                    Labels = [],
                })
                .OrderBy(l => l.Name, StringComparer.Ordinal)
                .ToList(),
        }).ToList();
        return new Trajectory { Settings = new SortedDictionary<string, string>(StringComparer.Ordinal) { ["precision"] = "float64" }, Records = records };
    }
}
