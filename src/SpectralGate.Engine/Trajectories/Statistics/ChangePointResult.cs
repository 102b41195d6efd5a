namespace SpectralGate.Engine.Trajectories.Statistics;

/// <summary>
/// The best single change point of a series and its strength. <see cref="Step"/> is the first record of the new
/// regime (the change happened after <see cref="PreviousStep"/>). <see cref="Found"/> only when the test could run,
/// p ≤ the significance, the change explains enough and the series moved enough.
/// </summary>
public sealed record ChangePointResult
{
    public required ChangePointModel Model { get; init; }

    /// <summary>Records the test saw.</summary>
    public required int Count { get; init; }

    /// <summary>Null when the test could run; otherwise why not (too few records). A constant series, or one the no-change model fits exactly, is tested and has no change.</summary>
    public string? NotTested { get; init; }

    public bool Found { get; init; }

    /// <summary>Index of the first record after the change in the tested series; −1 when there was nothing to split (not tested, or nothing left to explain).</summary>
    public int Index { get; init; } = -1;

    public long Step { get; init; }

    public long PreviousStep { get; init; }

    /// <summary>sup-F over the candidate changes: ((RSS₀ − RSS₁)/q)/(RSS₁/(n − p)); +∞ when the change fits exactly.</summary>
    public double F { get; init; }

    /// <summary>Permutation p-value of <see cref="F"/>: (1 + #{shuffles with sup-F ≥ F})/(1 + shuffles).</summary>
    public double PValue { get; init; } = 1.0;

    /// <summary>(RSS₀ − RSS₁)/RSS₀: the fraction of the no-change model's residual the change explains.</summary>
    public double Explained { get; init; }

    /// <summary>The fitted jump in level across the change (value units; after minus before, at the midpoint between the two records).</summary>
    public double LevelChange { get; init; }

    /// <summary>Fitted slope (per step) before and after the change; equal for <see cref="ChangePointModel.LevelShift"/>, 0 for <see cref="ChangePointModel.MeanShift"/>.</summary>
    public double SlopeBefore { get; init; }

    public double SlopeAfter { get; init; }

    public double Significance { get; init; }

    public double MinExplained { get; init; }

    /// <summary>(max − min)/median |value| of the tested records; a change is found only when it is at least <see cref="MinRelativeRange"/>.</summary>
    public double RelativeRange { get; init; }

    public double MinRelativeRange { get; init; }

    public int Permutations { get; init; }
}
