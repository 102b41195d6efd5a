using SpectralGate.Engine.Trajectories;
using SpectralGate.Engine.Trajectories.Statistics;

namespace Grokking;

/// <summary>One series of a grokking trajectory: a metric of a layer in one tier, or a scalar the loop reported (<see cref="Layer"/> null).</summary>
public sealed record GrokkingStatistic(string? Layer, string Metric, string Tier = TrajectoryTiers.Cheap)
{
    public IReadOnlyList<TrajectoryPoint> Series(Trajectory trajectory) =>
        Layer is null ? trajectory.ScalarSeries(Metric).Where(p => trajectory.Records.Any(r => r.Step == p.Step && r.Tier == Tier)).DistinctBy(p => p.Step).ToList()
            : trajectory.Series(Layer, Metric, Tier);

    public override string ToString() => Layer is null ? Metric : $"{Layer}/{Metric} ({Tier})";
}

/// <summary>
/// Where a grokking trajectory changes regime: the engine's change-point test (<see cref="ChangePoints"/>) on one
/// statistic's series after memorisation, that is from the first record whose train accuracy reached 99 %. The
/// memorisation phase is a transition of its own in every run, grokking or not; the question is what happens after it.
/// </summary>
public static class GrokkingTransition
{
    /// <summary>Train accuracy that counts as memorised.</summary>
    public const double Memorised = 0.99;

    /// <summary>Held-out accuracy that counts as grokked (the papers' grokking step).</summary>
    public const double Grokked = 0.9;

    /// <summary>The first recorded step whose train accuracy reached <see cref="Memorised"/>, or null.</summary>
    public static long? MemorisedStep(Trajectory trajectory) =>
        trajectory.ScalarSeries(GrokkingRecording.TrainAccuracy).Where(p => p.Value >= Memorised).Select(p => (long?)p.Step).FirstOrDefault();

    /// <summary>The change point of <paramref name="statistic"/> from the memorised step on; not found when the run never memorised.</summary>
    public static ChangePointResult Find(Trajectory trajectory, GrokkingStatistic statistic, ChangePointOptions? options = null)
    {
        long from = MemorisedStep(trajectory) ?? long.MaxValue;
        return ChangePoints.Find(DefinedSeries.Of(statistic.Series(trajectory)).From(from), options);
    }
}
