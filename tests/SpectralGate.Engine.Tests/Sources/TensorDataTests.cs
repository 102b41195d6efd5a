using System.Buffers.Binary;
using SpectralGate.Engine.Sources;
using TorchSharp;

namespace SpectralGate.Engine.Tests.Sources;

/// <summary>The managed decoder (the big-endian path) gives the values libtorch's widening gives, for every stored dtype.</summary>
public class TensorDataTests
{
    private static readonly double[] Values = [0, -0.0, 1, -2.5, 0.1, 65504, 1e-5, 3.0e38, -1.17549435e-38, 123.456];

    private static byte[] Stored(TensorDType dtype)
    {
        int size = dtype.Size();
        var bytes = new byte[Values.Length * size];
        for (int i = 0; i < Values.Length; i++)
        {
            var slot = bytes.AsSpan(i * size, size);
            switch (dtype)
            {
                case TensorDType.Float64: BinaryPrimitives.WriteDoubleLittleEndian(slot, Values[i]); break;
                case TensorDType.Float32: BinaryPrimitives.WriteSingleLittleEndian(slot, (float)Values[i]); break;
                case TensorDType.Float16: BinaryPrimitives.WriteHalfLittleEndian(slot, (Half)Values[i]); break;
                default: BinaryPrimitives.WriteUInt16LittleEndian(slot, TensorData.SingleToBFloat16((float)Values[i])); break;
            }
        }
        return bytes;
    }

    [Test]
    public void ManagedDecodingEqualsLibtorchsWidening(
        [Values(TensorDType.Float64, TensorDType.Float32, TensorDType.Float16, TensorDType.BFloat16)] TensorDType dtype,
        [Values(torch.ScalarType.Float64, torch.ScalarType.Float32)] torch.ScalarType computeType)
    {
        byte[] bytes = Stored(dtype);
        using var viaTorch = TensorData.ToTensor(bytes, dtype, [Values.Length], computeType, torch.CPU);

        double[] expected = viaTorch.to(torch.ScalarType.Float64).data<double>().ToArray();
        double[] managed = computeType == torch.ScalarType.Float64
            ? TensorData.Decode<double>(bytes, dtype, Values.Length)
            : TensorData.Decode<float>(bytes, dtype, Values.Length).Select(v => (double)v).ToArray();

        Assert.That(managed.Select(BitConverter.DoubleToInt64Bits), Is.EqualTo(expected.Select(BitConverter.DoubleToInt64Bits)));
    }
}
