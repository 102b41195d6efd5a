namespace SpectralGate.Engine.Trajectories;

/// <summary>A step a trajectory plot marks on a layer's metric curve: where an assertion or the gate fired, with what to print beside it.</summary>
public sealed record TrajectoryMark(string Layer, string Metric, long Step, string Label);
