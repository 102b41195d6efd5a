using SpectralGate.Engine.Trajectories;
using SpectralGate.Engine.Trajectories.Statistics;

namespace Grokking;

/// <summary>One series of a grokking trajectory: a metric of a layer in one tier, or a scalar the loop reported (<see cref="Layer"/> null).</summary>
public sealed record GrokkingStatistic(string? Layer, string Metric, string Tier = TrajectoryTiers.Cheap)
{
    public IReadOnlyList<TrajectoryPoint> Series(Trajectory trajectory) =>
        Layer is null
            ? trajectory.Records.Where(r => r.Tier == Tier && r.Scalars.ContainsKey(Metric)).Select(r => new TrajectoryPoint(r.Step, r.Scalars[Metric])).ToList()
            : trajectory.Series(Layer, Metric, Tier);

    public override string ToString() => Layer is null ? Metric : $"{Layer}/{Metric} ({Tier})";
}

/// <summary>What the transition test saw in one series: the change point and how far the series moved after memorisation.</summary>
public sealed record GrokkingDetection(GrokkingStatistic Statistic, ChangePointResult ChangePoint)
{
    /// <summary>How far the series moved after memorisation, relative to its level.</summary>
    public double RelativeRange => ChangePoint.RelativeRange;

    /// <summary>A significant change point in a series that moved by at least <see cref="GrokkingTransition.MinRelativeRange"/>.</summary>
    public bool Fired => ChangePoint.Found;

    /// <summary>The first step of the new regime when <see cref="Fired"/>, else null.</summary>
    public long? Step => Fired ? ChangePoint.Step : null;
}

/// <summary>
/// Where a grokking trajectory changes regime: the engine's change-point test (<see cref="ChangePoints"/>, two lines
/// against one) on one statistic's series after memorisation, that is from the first record whose train accuracy reached
/// 99 %. Memorisation is a transition of its own in every run, grokking or not; the question is what happens after it.
/// The test is scale-free, so the knee of any saturating curve is significant (a control's norms that keep creeping up
/// have one): a transition must also move the series by <see cref="MinRelativeRange"/> of its level.
/// </summary>
public static class GrokkingTransition
{
    /// <summary>Train accuracy that counts as memorised.</summary>
    public const double Memorised = 0.99;

    /// <summary>Held-out accuracy that counts as grokked (the papers' grokking step).</summary>
    public const double Grokked = 0.9;

    /// <summary>
    /// Smallest (max − min)/median |value| after memorisation that counts as a transition: the floor of the jump
    /// statistic (<see cref="TrajectoryStatisticsDefaults.JumpRelativeFloor"/>), so that a transition is at least a jump's size.
    /// </summary>
    public const double MinRelativeRange = TrajectoryStatisticsDefaults.JumpRelativeFloor;

    /// <summary>The first recorded step whose train accuracy reached <see cref="Memorised"/>, or null.</summary>
    public static long? MemorisedStep(Trajectory trajectory) => FirstAtLeast(trajectory, GrokkingRecording.TrainAccuracy, Memorised);

    /// <summary>The first recorded step whose held-out accuracy reached <paramref name="threshold"/>, or null.</summary>
    public static long? TestAccuracyStep(Trajectory trajectory, double threshold) => FirstAtLeast(trajectory, GrokkingRecording.TestAccuracy, threshold);

    /// <summary>The change-point settings of the transition test: the engine's defaults with the size floor.</summary>
    public static ChangePointOptions Options { get; } = new() { MinRelativeRange = MinRelativeRange };

    /// <summary>The transition test of <paramref name="statistic"/> from the memorised step on (nothing to test when the run never memorised).</summary>
    public static GrokkingDetection Detect(Trajectory trajectory, GrokkingStatistic statistic, ChangePointOptions? options = null)
    {
        long from = MemorisedStep(trajectory) ?? long.MaxValue;
        var series = DefinedSeries.Of(statistic.Series(trajectory)).From(from);
        return new GrokkingDetection(statistic, ChangePoints.Find(series, options ?? Options));
    }

    private static long? FirstAtLeast(Trajectory trajectory, string scalar, double threshold) =>
        trajectory.ScalarSeries(scalar).Where(p => p.Value >= threshold).Select(p => (long?)p.Step).FirstOrDefault();
}
