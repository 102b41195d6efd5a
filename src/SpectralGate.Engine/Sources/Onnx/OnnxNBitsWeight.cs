using TorchSharp;

namespace SpectralGate.Engine.Sources.Onnx;

/// <summary>
/// The weight of a <c>com.microsoft</c> <c>MatMulNBits</c> node (ONNX Runtime's docs/ContribOperators.md): B holds
/// <c>[N, k_blocks, blob_size]</c> bytes of <see cref="Bits"/>-bit codes packed low bits first along K, scales one per
/// (row, block), zero points packed the same way (or floats, or absent: 2^(bits-1)), and the node computes
/// <c>A @ dequant(B)^T</c>. The weight is given as MatMul's B would hold it, <c>[K, N]</c>, so that it lines up with the
/// float model it was quantized from.
/// </summary>
internal sealed class OnnxNBitsWeight(
    string name, OnnxTensorInfo codes, OnnxTensorInfo scales, OnnxTensorInfo? zeroPoints, long k, long n, int bits, long blockSize)
    : OnnxQuantizedWeight(name, [k, n], scales.DType, $"UINT{bits} blocks of {blockSize} (MatMulNBits)")
{
    public int Bits { get; } = bits;

    public long BlockSize { get; } = blockSize;

    public override torch.Tensor Dequantize(string modelPath)
    {
        using var scope = torch.NewDisposeScope();
        long blocks = (k + BlockSize - 1) / BlockSize;
        torch.Tensor values = Unpack(codes.ReadBytes(modelPath), n * blocks * BlockSize).reshape(n, blocks, BlockSize);
        torch.Tensor scale = ReadFloat(scales, modelPath).reshape(n, blocks, 1);
        torch.Tensor zero;
        if (zeroPoints is null) zero = torch.tensor(Math.Pow(2, Bits - 1), torch.ScalarType.Float64);
        else if (zeroPoints.DType != TensorDType.Unsupported) zero = ReadFloat(zeroPoints, modelPath).reshape(n, blocks, 1);
        else
        {
            // Packed per row: each row's block zero points start on a byte boundary.
            long perRow = (blocks * Bits + 7) / 8;
            zero = Unpack(zeroPoints.ReadBytes(modelPath), n * perRow * 8 / Bits).reshape(n, perRow * 8 / Bits).narrow(1, 0, blocks).reshape(n, blocks, 1);
        }
        torch.Tensor weight = ((values - zero) * scale).reshape(n, blocks * BlockSize).narrow(1, 0, k);
        return RoundToScaleType(weight.t().contiguous()).MoveToOuterDisposeScope();
    }

    /// <summary>Codes of <see cref="Bits"/> bits (2, 4 or 8), low bits first within each byte, as float64.</summary>
    private torch.Tensor Unpack(byte[] bytes, long count)
    {
        var packed = torch.empty([bytes.LongLength], torch.ScalarType.Byte);
        if (bytes.Length > 0) packed.bytes = bytes;
        int perByte = 8 / Bits;
        var parts = new torch.Tensor[perByte];
        for (int i = 0; i < perByte; i++) parts[i] = packed.bitwise_right_shift(i * Bits).bitwise_and((1 << Bits) - 1);
        return torch.stack(parts, 1).reshape(-1).narrow(0, 0, count).to(torch.ScalarType.Float64);
    }
}
