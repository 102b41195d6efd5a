namespace SpectralGate.Engine.Trajectories.Statistics;

/// <summary>
/// What a change point changes, each tested against the model without it (docs/training.md, "Assertions"):
/// the trend models (<see cref="TwoLines"/>, <see cref="LevelShift"/>) never call a straight-line trend a transition;
/// <see cref="MeanShift"/> does, since a trend's two halves have different means.
/// </summary>
public enum ChangePointModel
{
    /// <summary>One straight line against a different line on each side of the change (Chow 1960): level, slope or both change. The default.</summary>
    TwoLines,

    /// <summary>One straight line against the same slope with a jump in level at the change.</summary>
    LevelShift,

    /// <summary>One constant mean against a different mean on each side (Hinkley 1970): a trend counts as a change.</summary>
    MeanShift,
}
