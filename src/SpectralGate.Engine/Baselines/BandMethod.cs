namespace SpectralGate.Engine.Baselines;

/// <summary>How a multi-seed trajectory baseline turns the seeds' values at one point into an accepted band (docs/training.md).</summary>
public enum BandMethod
{
    /// <summary>[min, max] over the seeds, widened by the metric's tolerance at each edge. Needs one seed or more; no distribution assumed.</summary>
    Envelope,

    /// <summary>mean ± k·sd (sample sd, n − 1), widened by the metric's tolerance at each edge. Needs <see cref="TrajectoryBands.MinimumSeedsForMeanSd"/> seeds.</summary>
    MeanSd,
}
