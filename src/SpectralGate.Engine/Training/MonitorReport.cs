namespace SpectralGate.Engine.Training;

/// <summary>What the monitor did and what it left out, with its measured overhead (docs/training.md).</summary>
public sealed class MonitorReport
{
    /// <summary>The budget it was given (a share of wall time).</summary>
    public required double Budget { get; init; }

    /// <summary>Time the monitor took: its calls on the training thread, plus the worker's analysis when there is one.</summary>
    public required TimeSpan MonitorTime { get; init; }

    /// <summary>Wall time from the first record to the last call.</summary>
    public required TimeSpan Elapsed { get; init; }

    /// <summary><see cref="MonitorTime"/> / <see cref="Elapsed"/>.</summary>
    public double OverheadFraction => Elapsed > TimeSpan.Zero ? MonitorTime / Elapsed : 0;

    public required int CheapRecords { get; init; }

    public required int FullRecords { get; init; }

    public required int ProbeRecords { get; init; }

    /// <summary>Bytes of weights the monitor holds between records (the previous record's copy of the selected layers).</summary>
    public required long RetainedBytes { get; init; }

    /// <summary>Work left out, in step order: never silent.</summary>
    public required IReadOnlyList<DroppedWork> Dropped { get; init; }

    public override string ToString() =>
        $"monitor: {CheapRecords} cheap, {FullRecords} full, {ProbeRecords} probe records; {MonitorTime.TotalMilliseconds:F0} ms of {Elapsed.TotalMilliseconds:F0} ms "
        + $"({OverheadFraction:P2}, budget {Budget:P2}); {Dropped.Count} dropped"
        + (Dropped.Count == 0 ? "" : ": " + string.Join(", ", Dropped.Take(10).Select(d => $"{d.Tier}@{d.Step}")) + (Dropped.Count > 10 ? ", ..." : ""));
}

/// <summary>One piece of scheduled work the monitor did not do, and why.</summary>
public sealed record DroppedWork(long Step, string Tier, string Reason);
