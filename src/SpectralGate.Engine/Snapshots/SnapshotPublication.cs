namespace SpectralGate.Engine.Snapshots;

/// <summary>What became of a snapshot this process accepted (<see cref="SnapshotAcceptance"/>).</summary>
public enum SnapshotPublication
{
    /// <summary>This process's bytes are the verified file now.</summary>
    Published,

    /// <summary>Another process accepted the same snapshot first, with the same bytes: nothing to do, nothing lost.</summary>
    AlreadyPublished,

    /// <summary>Another process accepted the same snapshot with different bytes: a real conflict, reported by the caller.</summary>
    Conflict,
}
