namespace SpectralGate.Engine.Trajectories;

/// <summary>Reported after each checkpoint of a series: how far along, and whether its record was computed or reused from the cache.</summary>
public readonly record struct SeriesProgress(int CheckpointsDone, int CheckpointCount, SeriesCheckpoint Checkpoint, bool Reused);
