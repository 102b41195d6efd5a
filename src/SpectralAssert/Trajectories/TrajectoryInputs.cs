using SpectralGate.Engine.Trajectories;

namespace SpectralAssert.Trajectories;

/// <summary>What a trajectory assertion can be given: a recorded <see cref="Trajectory"/>.</summary>
public static class TrajectoryInputs
{
    public static Trajectory Resolve(object? actual) => actual switch
    {
        Trajectory trajectory => trajectory,
        null => throw new ArgumentNullException(nameof(actual), "expected a Trajectory, but got null."),
        _ => throw new ArgumentException($"expected a Trajectory, but got {actual.GetType().FullName}.", nameof(actual)),
    };

    /// <summary>How the input is named in failure messages: its records and steps.</summary>
    public static string Describe(object? actual, Trajectory trajectory)
    {
        string what = actual is string path ? path : "trajectory";
        return trajectory.Records.Count == 0 ? $"{what} (no records)"
            : $"{what} ({trajectory.Records.Count} records, steps {trajectory.Records[0].Step}..{trajectory.Records[^1].Step})";
    }
}
