using SpectralGate.Engine.Trajectories;

namespace SpectralAssert.Trajectories;

/// <summary>What a trajectory assertion can be given: a recorded <see cref="Trajectory"/>, or the path of its JSON file.</summary>
public static class TrajectoryInputs
{
    public static Trajectory Resolve(object? actual) => actual switch
    {
        Trajectory trajectory => trajectory,
        string path => TrajectoryJsonReader.Read(path),
        FileInfo file => TrajectoryJsonReader.Read(file.FullName),
        null => throw new ArgumentNullException(nameof(actual), "expected a Trajectory or a trajectory JSON path, but got null."),
        _ => throw new ArgumentException($"expected a Trajectory or a trajectory JSON path, but got {actual.GetType().FullName}.", nameof(actual)),
    };

    /// <summary>How the input is named in failure messages: its records and steps.</summary>
    public static string Describe(object? actual, Trajectory trajectory)
    {
        string what = actual switch { string path => path, FileInfo file => file.FullName, _ => "trajectory" };
        return trajectory.Records.Count == 0 ? $"{what} (no records)"
            : $"{what} ({trajectory.Records.Count} records, steps {trajectory.Records[0].Step}..{trajectory.Records[^1].Step})";
    }
}
