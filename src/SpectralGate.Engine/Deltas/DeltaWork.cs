using TorchSharp;

namespace SpectralGate.Engine.Deltas;

/// <summary>
/// One matched layer waiting to be measured: how to read its pair, and what that costs in memory. <see cref="Read"/>
/// gives W_base and either W_tuned or, for an adapter, the update whose sum with W_base is W_tuned.
/// </summary>
internal sealed record DeltaWork(string Name, long[] Shape, long Elements,
    Func<torch.Device, torch.ScalarType, (torch.Tensor Base, torch.Tensor? Tuned, LowRankUpdate? Update)> Read, double StorageRoundoff = 0)
{
    /// <summary>Two tensors of the layer's size in the compute type (W_base, W_tuned): the memory one running layer holds.</summary>
    public long Bytes(torch.ScalarType type) => 2 * Elements * (type == torch.ScalarType.Float64 ? 8 : 4);
}
