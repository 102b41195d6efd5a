namespace SpectralGate.Engine.Sources;

/// <summary>Why a tensor of a source yields no layer. The words written to a signature are in <see cref="TensorSkip.Text"/>.</summary>
public enum SkipKind
{
    /// <summary>Owned by another shard (<c>--shard</c>): computed by another process, not skipped.</summary>
    OtherShard,

    /// <summary>Matches no <see cref="TensorSelection.Include"/> glob: left out by the user, so not listed.</summary>
    NotIncluded,

    /// <summary>Matches an <see cref="TensorSelection.Exclude"/> glob: left out by the user, so not listed.</summary>
    Excluded,

    /// <summary>The source cannot decode it (<see cref="TensorEntry.UndecodableReason"/>).</summary>
    Undecodable,

    /// <summary>A scale, zero point or index of a quantized weight (<see cref="TensorEntry.QuantizationParameterOf"/>): never a layer.</summary>
    QuantizationParameter,

    /// <summary>Stored as integers, booleans or complex numbers.</summary>
    NotFloatingPoint,

    /// <summary>A scalar or a 1-D tensor: no matrix.</summary>
    NotAMatrix,

    /// <summary>A side of zero length.</summary>
    Empty,

    /// <summary>Its smaller side is below <see cref="TensorSelection.MinDimension"/>.</summary>
    TooSmall,

    /// <summary>Of rank 3 or more with no layout that can be cut into matrices without guessing.</summary>
    UnknownLayout,
}
