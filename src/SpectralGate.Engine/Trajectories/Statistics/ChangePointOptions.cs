namespace SpectralGate.Engine.Trajectories.Statistics;

/// <summary>The change-point test's settings; defaults in <see cref="TrajectoryStatisticsDefaults"/>.</summary>
public sealed record ChangePointOptions
{
    public ChangePointModel Model { get; init; } = ChangePointModel.TwoLines;

    /// <summary>A change point needs a permutation p-value at most this.</summary>
    public double Significance { get; init; } = TrajectoryStatisticsDefaults.ChangePointSignificance;

    /// <summary>Shuffles of the no-change residuals (p resolves to 1/(permutations + 1)).</summary>
    public int Permutations { get; init; } = TrajectoryStatisticsDefaults.ChangePointPermutations;

    /// <summary>Seed of the shuffles: the same series always gets the same p-value.</summary>
    public int Seed { get; init; } = TrajectoryStatisticsDefaults.ChangePointSeed;

    /// <summary>
    /// The change must explain at least this fraction of what the no-change model leaves unexplained
    /// ((RSS₀ − RSS₁)/RSS₀): significance alone would call any small but consistent wiggle in a long, quiet series a transition.
    /// </summary>
    public double MinExplained { get; init; } = TrajectoryStatisticsDefaults.ChangePointMinExplained;

    /// <summary>
    /// The series must also move by at least this fraction of its level, (max − min)/median |value| over the tested
    /// records (default 0: no requirement). The test is scale-free, so the knee of a slowly saturating curve (a weight
    /// norm creeping by 0.7 %) is as significant as a real transition; a size floor such as the jumps' 10 % tells them
    /// apart (samples/Grokking: the control's knees).
    /// </summary>
    public double MinRelativeRange { get; init; }

    /// <summary>Fewest records on each side of the change.</summary>
    public int MinSegment { get; init; } = TrajectoryStatisticsDefaults.ChangePointMinSegment;

    internal void Validate()
    {
        if (!(Significance > 0 && Significance < 1)) throw new ArgumentOutOfRangeException(nameof(Significance), Significance, "the significance must lie in (0, 1).");
        if (Permutations < 1) throw new ArgumentOutOfRangeException(nameof(Permutations), Permutations, "at least one permutation.");
        if (!(MinExplained >= 0 && MinExplained <= 1)) throw new ArgumentOutOfRangeException(nameof(MinExplained), MinExplained, "the explained fraction must lie in [0, 1].");
        if (!(MinRelativeRange >= 0)) throw new ArgumentOutOfRangeException(nameof(MinRelativeRange), MinRelativeRange, "the relative range must be 0 or more.");
        if (MinSegment < 2) throw new ArgumentOutOfRangeException(nameof(MinSegment), MinSegment, "each side needs at least 2 records.");
        if (!Enum.IsDefined(Model)) throw new ArgumentOutOfRangeException(nameof(Model), Model, "unknown change-point model.");
    }
}
