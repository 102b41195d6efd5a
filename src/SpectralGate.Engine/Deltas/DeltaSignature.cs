using SpectralGate.Engine.Signatures;

namespace SpectralGate.Engine.Deltas;

/// <summary>What a fine-tune changed, per layer: the delta signature of a tuned checkpoint (or adapter) against its base.</summary>
public sealed class DeltaSignature
{
    public const int CurrentFormatVersion = 1;

    public int FormatVersion { get; init; } = CurrentFormatVersion;

    public required ModelInfo Base { get; init; }

    public required ModelInfo Tuned { get; init; }

    public required IReadOnlyDictionary<string, string> Settings { get; init; }

    /// <summary>Layers present on both sides, in natural name order.</summary>
    public required IReadOnlyList<LayerDelta> Layers { get; init; }

    /// <summary>Analysable tensors of the base with no tensor of that name in the tuned model.</summary>
    public required IReadOnlyList<string> OnlyInBase { get; init; }

    public required IReadOnlyList<string> OnlyInTuned { get; init; }

    public required IReadOnlyList<SkippedTensor> Skipped { get; init; }

    public LayerDelta? Layer(string name) => Layers.FirstOrDefault(l => l.Name == name);

    public int Count(DeltaStatus status) => Layers.Count(l => l.Status == status);
}
