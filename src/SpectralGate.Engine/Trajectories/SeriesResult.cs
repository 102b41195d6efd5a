namespace SpectralGate.Engine.Trajectories;

/// <summary>A series' trajectory (<see cref="TrajectoryBuilder"/>) and which checkpoints were computed and which reused from the cache.</summary>
/// <param name="Trajectory">One full record per checkpoint, in step order.</param>
/// <param name="Computed">The checkpoints whose spectra were computed in this run.</param>
/// <param name="Reused">The checkpoints whose record came from the cache (same SHA-256, same settings).</param>
/// <param name="CacheUnused">Why a previous trajectory given as cache could not be used (other settings); null when it was, or none was given.</param>
public sealed record SeriesResult(Trajectory Trajectory, IReadOnlyList<SeriesCheckpoint> Computed, IReadOnlyList<SeriesCheckpoint> Reused, string? CacheUnused);
