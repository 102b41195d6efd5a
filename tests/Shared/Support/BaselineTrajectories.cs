using SpectralGate.Engine.Signatures;
using SpectralGate.Engine.Trajectories;

namespace SpectralGate.Tests.Support;

/// <summary>Hand-made trajectories for tests of trajectory baselines, snapshots and the gate: every value written by the test.</summary>
internal static class BaselineTrajectories
{
    /// <summary>Layers <paramref name="layers"/> (shape [8, 8]) at each step, their metrics given by <paramref name="metrics"/>(layer, step).</summary>
    public static Trajectory Run(long[] steps, string[] layers, Func<string, long, (string Metric, double? Value)[]> metrics, IReadOnlyDictionary<string, string>? settings = null) => new()
    {
        Settings = settings ?? new SortedDictionary<string, string>(StringComparer.Ordinal) { ["precision"] = "float64" },
        Records = steps.Select(step => new TrajectoryRecord
        {
            Step = step,
            Source = "live",
            Layers = layers.Select(l => TestSignatures.Layer(l, [8, 8], metrics(l, step))).ToList(),
        }).ToList(),
    };

    /// <summary>One layer "fc1.weight" with alpha = <paramref name="alpha"/>(step) and stable_rank 2.</summary>
    public static Trajectory Alpha(long[] steps, Func<long, double?> alpha) =>
        Run(steps, ["fc1.weight"], (_, s) => [("alpha", alpha(s)), ("stable_rank", 2.0)]);
}
