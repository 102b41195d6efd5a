using SpectralGate.Engine.Errors;
using SpectralGate.Engine.Snapshots;

namespace SpectralAssert.Snapshots;

/// <summary>
/// The steps of every snapshot check, whatever the snapshot holds (a signature, a trajectory): a missing or unreadable
/// baseline is written as received (or auto-accepted when missing), a match clears the received file, a difference is
/// written as received (or auto-accepted) and described. Auto-accept publishes whole bytes straight to the verified
/// file; another process's different bytes are a conflict named in the message.
/// </summary>
internal sealed class SnapshotCheck<TBaseline>
{
    public required SnapshotPaths Paths { get; init; }
    public required string? IntermediateDirectory { get; init; }

    /// <summary>What the verified file is called in messages ("spectral baseline").</summary>
    public required string BaselineNoun { get; init; }

    /// <summary>What the received file holds ("signature"), and its size ("12 layers").</summary>
    public required string ResultNoun { get; init; }
    public required string ResultSize { get; init; }

    /// <summary>The received file's description as a test attachment on CI.</summary>
    public required string ReceivedDescription { get; init; }

    /// <summary>Reads the verified file; throws <see cref="BaselineFormatException"/> when it cannot be read.</summary>
    public required Func<string, TBaseline> Read { get; init; }

    /// <summary>Null when the result is within the baseline, else what differs.</summary>
    public required Func<TBaseline, SnapshotDifference?> Compare { get; init; }

    /// <summary>The result as the verified file's bytes (given the verified path, whose recorded tolerances they keep).</summary>
    public required Func<string, byte[]> AcceptedBytes { get; init; }

    /// <summary>Writes the result to the received path.</summary>
    public required Action<string> WriteReceived { get; init; }

    /// <summary>Null when the snapshot passes, else the failure message.</summary>
    public string? Run()
    {
        bool autoAccept = SnapshotConventions.AutoAccept;
        if (!File.Exists(Paths.Verified))
        {
            if (autoAccept) return AutoAccept(replacingBaseline: false);
            Receive();
            return $"No {BaselineNoun} yet: {Paths.Verified}\n"
                + $"Wrote the {ResultNoun} to {Paths.Received} ({ResultSize}).\n"
                + SnapshotConventions.AcceptHint(Paths);
        }

        TBaseline baseline;
        try
        {
            baseline = Read(Paths.Verified);
        }
        catch (BaselineFormatException e)
        {
            Receive();
            return $"The {BaselineNoun} cannot be read: {e.Message}\nWrote the current {ResultNoun} to {Paths.Received}.\n" + SnapshotConventions.AcceptHint(Paths);
        }

        SnapshotDifference? difference = Compare(baseline);
        if (difference is null)
        {
            if (File.Exists(Paths.Received)) File.Delete(Paths.Received);
            SnapshotConventions.Forget(Paths, IntermediateDirectory);
            return null;
        }

        if (autoAccept) return AutoAccept(replacingBaseline: true);
        Receive();
        return difference.Description + $"Received: {Paths.Received}\n" + difference.AfterReceived + SnapshotConventions.AcceptHint(Paths);
    }

    /// <summary>
    /// Accepts this process's result straight into the verified file: null when it is there (this process's or an
    /// identical one from a process next door), the conflict's description when another process accepted different bytes.
    /// </summary>
    private string? AutoAccept(bool replacingBaseline)
    {
        if (SnapshotAcceptance.Publish(Paths, AcceptedBytes(Paths.Verified), replacingBaseline) != SnapshotPublication.Conflict)
        {
            SnapshotConventions.Forget(Paths, IntermediateDirectory);
            return null;
        }
        Receive();
        return SnapshotConventions.ConflictMessage(Paths);
    }

    private void Receive()
    {
        WriteReceived(Paths.Received);
        SnapshotConventions.Received(Paths, IntermediateDirectory, ReceivedDescription);
    }
}

/// <summary>What a snapshot's result changed against its baseline: the text before the received path, and after it.</summary>
internal sealed record SnapshotDifference(string Description, string AfterReceived = "");
