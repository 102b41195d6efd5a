using SpectralGate.Engine.Signatures;

namespace SpectralGate.Engine.Trajectories;

/// <summary>
/// One step of a trajectory: the layers' signatures at that step (the same objects as a signature's layers), where
/// they came from, and the scalars the training loop reported beside them (loss, accuracy).
/// </summary>
public sealed class TrajectoryRecord
{
    /// <summary>The training step (optimizer steps, or the number read from a checkpoint's file name).</summary>
    public required long Step { get; init; }

    /// <summary><c>live</c> for a record taken by the training monitor; the checkpoint's portable path otherwise.</summary>
    public required string Source { get; init; }

    /// <summary>
    /// Which metrics the record holds: <see cref="TrajectoryTiers.Full"/> (the whole signature) or
    /// <see cref="TrajectoryTiers.Cheap"/> (norms, power-iteration spectral norm, stable rank, update norms).
    /// </summary>
    public string Tier { get; init; } = TrajectoryTiers.Full;

    /// <summary>SHA-256 of the checkpoint's bytes; null for live records.</summary>
    public string? Sha256 { get; init; }

    /// <summary>Layers in natural name order, as in <see cref="SpectralSignature.Layers"/>.</summary>
    public required IReadOnlyList<LayerSignature> Layers { get; init; }

    /// <summary>Scalars reported by the loop at this step (<c>train_loss</c>, <c>test_accuracy</c>, ...), keyed by snake_case name.</summary>
    public IReadOnlyDictionary<string, double> Scalars { get; init; } = new SortedDictionary<string, double>(StringComparer.Ordinal);

    public LayerSignature? Layer(string name) => Layers.FirstOrDefault(l => l.Name == name);

    /// <summary>This record as taken from <paramref name="source"/> (the same checkpoint moved, or its path made portable).</summary>
    public TrajectoryRecord WithSource(string source) =>
        new() { Step = Step, Source = source, Tier = Tier, Sha256 = Sha256, Layers = Layers, Scalars = Scalars };

    /// <summary>This record at another step (the same checkpoint read with another step pattern).</summary>
    public TrajectoryRecord WithStep(long step) =>
        new() { Step = step, Source = Source, Tier = Tier, Sha256 = Sha256, Layers = Layers, Scalars = Scalars };
}
