namespace SpectralGate.Engine.Training;

/// <summary>
/// Which training steps the monitor records, from the step number alone (so a run restarted at step s keeps the grid):
/// every <see cref="Every"/> steps (step 0 included, the initial weights), the powers of two below <see cref="Every"/>
/// (1, 2, 4, ...: the fast early phase, where alpha can fall from ~30 to ~4 before the first multiple of k), and a full
/// signature at the multiples of <see cref="Every"/> × <see cref="FullEvery"/>. docs/training.md, "The monitor".
/// </summary>
public sealed class MonitorSchedule
{
    public MonitorSchedule(int every, int fullEvery, bool logSpacedEarly)
    {
        if (every < 1) throw new ArgumentOutOfRangeException(nameof(every), every, "the monitor records every k ≥ 1 steps.");
        if (fullEvery < 0) throw new ArgumentOutOfRangeException(nameof(fullEvery), fullEvery, "full records come every m ≥ 1 records, or never (0).");
        Every = every;
        FullEvery = fullEvery;
        LogSpacedEarly = logSpacedEarly;
    }

    /// <summary>k: a cheap record every k steps.</summary>
    public int Every { get; }

    /// <summary>m: a full record at every m-th multiple of k (steps 0, k·m, 2k·m, ...); 0 for none on schedule.</summary>
    public int FullEvery { get; }

    /// <summary>Whether the powers of two below k are recorded too (cheap tier).</summary>
    public bool LogSpacedEarly { get; }

    /// <summary>True when the step gets a record (at least the cheap tier).</summary>
    public bool IsScheduled(long step)
    {
        if (step < 0) return false;
        if (step % Every == 0) return true;
        return LogSpacedEarly && step < Every && (step & (step - 1)) == 0;
    }

    /// <summary>True when the step's record includes the full signature.</summary>
    public bool IsFull(long step) => FullEvery > 0 && step >= 0 && step % ((long)Every * FullEvery) == 0;

    /// <summary>The scheduled steps in [<paramref name="first"/>, <paramref name="last"/>], in order (for docs, tests and planning).</summary>
    public IEnumerable<long> Steps(long first, long last)
    {
        for (long s = Math.Max(first, 0); s <= last; s++)
        {
            if (IsScheduled(s)) yield return s;
            // Past the early powers of two only multiples of k remain: jump to the next one.
            if (s >= Every) s = (s / Every + 1) * Every - 1;
        }
    }
}
