namespace SpectralGate.Engine.Trajectories.Statistics;

/// <summary>
/// Every default of the trajectory statistics, in one place (docs/training.md, "Assertions"). Changing one changes the
/// assertions' defaults and the documentation's table (checked by a test).
/// </summary>
public static class TrajectoryStatisticsDefaults
{
    /// <summary>A jump is a change more than 5 robust σ from the median change: |z| &gt; 5 has probability 6e-7 under normal noise.</summary>
    public const double JumpK = 5.0;

    /// <summary>No change under 10% of the series' median |value| is a jump.</summary>
    public const double JumpRelativeFloor = 0.10;

    /// <summary>
    /// A jump of alpha (or another power-law-fit metric) needs the ESD to move more than this KS distance: the
    /// <c>esd_distance</c> tolerance of docs/tolerances.md (11x what 1e-4 weight noise gives), about 10x what a
    /// 1e-3 perturbation that flipped alpha's xmin gave.
    /// </summary>
    public const double JumpEsdFloor = 0.01;

    /// <summary>Significance level of the Mann–Kendall trend test (one-sided).</summary>
    public const double TrendSignificance = 0.05;

    /// <summary>Significance level of the change-point permutation test.</summary>
    public const double ChangePointSignificance = 0.01;

    /// <summary>Shuffles of the permutation test: p-values resolve to 1/1000.</summary>
    public const int ChangePointPermutations = 999;

    /// <summary>The permutation test's fixed seed: the same series always gets the same p-value.</summary>
    public const int ChangePointSeed = 26;

    /// <summary>A change point must explain at least this fraction of the residual sum of squares the no-change model leaves.</summary>
    public const double ChangePointMinExplained = 0.5;

    /// <summary>Fewest records on each side of a change point.</summary>
    public const int ChangePointMinSegment = 3;

    /// <summary>Records whose median is the endpoint when none is given: the final value.</summary>
    public const int EndpointRecords = 1;
}
