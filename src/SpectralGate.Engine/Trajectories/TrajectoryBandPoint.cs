namespace SpectralGate.Engine.Trajectories;

/// <summary>
/// The band a metric of a layer should stay in at one step (a baseline trajectory's value ± its tolerance, a seed
/// envelope): what a trajectory plot draws behind the curve. Bands are keyed by (layer, metric) by whoever builds them.
/// </summary>
public readonly record struct TrajectoryBandPoint(long Step, double Low, double High);
