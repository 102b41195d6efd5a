namespace SpectralGate.Engine.Trajectories;

/// <summary>One value of a series: the step and the metric there (null where the metric is undefined at that step).</summary>
public readonly record struct TrajectoryPoint(long Step, double? Value);
