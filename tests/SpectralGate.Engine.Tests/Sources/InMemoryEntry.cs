using SpectralGate.Engine.Sources;
using TorchSharp;

namespace SpectralGate.Engine.Tests.Sources;

/// <summary>A tensor entry whose data is a tensor in memory, or whose reading fails with a given exception.</summary>
internal sealed class InMemoryEntry(string name, long[] shape, Func<torch.Tensor>? data = null, TensorDType dtype = TensorDType.Float32, string storedDType = "F32")
    : TensorEntry(name, shape, dtype, storedDType)
{
    public static InMemoryEntry Of(string name, torch.Tensor data) => new(name, data.shape, () => data);

    public override torch.Tensor Load(torch.Device device, torch.ScalarType computeType) =>
        (data ?? throw new NotSupportedException("no data"))().to(computeType, device);
}
