using SpectralGate.Tests.Support;
using SpectralGate.Engine.Sources.Safetensors;
using SpectralGate.Engine.Tests.Sources;
using static TorchSharp.torch;

namespace SpectralGate.Engine.Tests.Deltas;

/// <summary>Float64 safetensors checkpoints made from tensors, so a delta test sees exactly the planted values.</summary>
internal static class DeltaFixtures
{
    public static SafetensorsWriter.Tensor Float64(string name, Tensor value)
    {
        double[] data = value.to(ScalarType.Float64).contiguous().data<double>().ToArray();
        var bytes = new byte[data.Length * 8];
        Buffer.BlockCopy(data, 0, bytes, 0, bytes.Length);
        return new SafetensorsWriter.Tensor(name, "F64", value.shape, bytes);
    }

    public static string Checkpoint(params (string Name, Tensor Value)[] tensors) =>
        SafetensorsFixtures.Write(tensors.Select(t => Float64(t.Name, t.Value)).ToArray());

    /// <summary>An n×k matrix with orthonormal columns, from QR of a seeded Gaussian.</summary>
    public static Tensor Orthonormal(int n, int k, int seed)
    {
        var (q, _) = linalg.qr(randn([n, k], ScalarType.Float64, generator: new Generator((ulong)seed, CPU)));
        return q;
    }

    public static Tensor Gaussian(int rows, int cols, int seed) =>
        randn([rows, cols], ScalarType.Float64, generator: new Generator((ulong)seed, CPU));
}
