namespace SpectralGate.Engine.Sources;

/// <summary>Why a tensor is not analysed: the kind, to decide on, and the text written to the signature's skipped list.</summary>
public sealed record TensorSkip(SkipKind Kind, string Text)
{
    /// <summary>False for tensors left out on purpose (by the selection or to another shard), which a signature does not list.</summary>
    public bool IsListed => Kind is not (SkipKind.NotIncluded or SkipKind.Excluded or SkipKind.OtherShard);
}
