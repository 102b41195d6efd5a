namespace SpectralGate.Engine.Trajectories.Statistics;

/// <summary>Which way a trend is expected to go.</summary>
public enum TrendDirection
{
    Up,
    Down,
}
