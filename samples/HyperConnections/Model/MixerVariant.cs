namespace HyperConnections;

/// <summary>How a block mixes its residual streams.</summary>
public enum MixerVariant
{
    /// <summary>HC (arXiv 2409.19606): a dynamic mixer with no constraint (<see cref="HcBlock"/>).</summary>
    Unconstrained,

    /// <summary>mHC (arXiv 2512.24880): the same kind of mixer projected by Sinkhorn-Knopp (<see cref="MhcBlock"/>).</summary>
    Sinkhorn,
}
