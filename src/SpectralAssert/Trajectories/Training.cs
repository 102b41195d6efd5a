using System.Text.RegularExpressions;
using SpectralAssert.Assertions;
using SpectralGate.Engine.Signatures;

namespace SpectralAssert.Trajectories;

/// <summary>
/// Entry point of the trajectory assertions, used with NUnit's <c>Assert.That</c> on a recorded training run:
/// <code>
/// Assert.That(trajectory, Training.Layers("fc*.weight").Alpha.EndsWithin(2, 6));
/// Assert.That(trajectory, Training.Layers("fc*.weight").StableRank.NeverBelow(0.5).After(step: 200));
/// Assert.That(trajectory, Training.Scalar("test_accuracy").HasTransitionBetween(2_000, 4_000));
/// </code>
/// The actual value may be a <see cref="SpectralGate.Engine.Trajectories.Trajectory"/> or the path of a trajectory JSON
/// file. Each selected layer is judged alone; <c>.Mean()</c> and <c>.Median()</c> judge an aggregate, named so in the message.
/// Statistics and defaults: docs/training.md, "Assertions".
/// </summary>
public static class Training
{
    /// <summary>Layers whose name matches the glob (<c>*</c> within a segment, <c>**</c> across segments).</summary>
    public static TrajectoryLayers Layers(string glob) => new(LayerSelector.All.Glob(glob));

    public static TrajectoryLayers Layers(Regex regex) => new(LayerSelector.All.Regex(regex));

    public static TrajectoryLayers Layers(Func<LayerSignature, bool> predicate, string description = "matching a predicate") =>
        new(LayerSelector.All.Where(predicate, description));

    public static TrajectoryLayers AllLayers => new(LayerSelector.All);

    /// <summary>A scalar the training loop recorded beside the spectra (<c>test_accuracy</c>, <c>train_loss</c>).</summary>
    public static TrajectoryMetric Scalar(string name) => new(TrajectorySeries.Scalar(name));
}
