using TorchSharp;

namespace SpectralGate.Engine.Sources.Onnx;

/// <summary>
/// A weight quantized as ONNX's <c>DequantizeLinear</c> defines it (also the weights of <c>QLinearMatMul</c>,
/// <c>QLinearConv</c> and <c>MatMulInteger</c>): <c>w = (q - zero_point) * scale</c>, with one scale for the tensor,
/// one per index along <see cref="Axis"/>, or one per block of <see cref="BlockSize"/> along it (opset 21).
/// </summary>
internal sealed class OnnxLinearQuantizedWeight(
    string name, OnnxTensorInfo codes, OnnxTensorInfo? scale, OnnxTensorInfo? zeroPoint, int axis, long blockSize, string op)
    : OnnxQuantizedWeight(name, codes.Shape, scale?.DType ?? TensorDType.Float32, $"{codes.StoredDType} ({op})")
{
    /// <summary>The axis of per-axis and blocked scales; -1 for one scale for the whole tensor.</summary>
    public int Axis { get; } = axis;

    /// <summary>Elements per block along <see cref="Axis"/>; 0 when not blocked.</summary>
    public long BlockSize { get; } = blockSize;

    public override torch.Tensor Dequantize(string modelPath)
    {
        using var scope = torch.NewDisposeScope();
        torch.Tensor values = OnnxIntegerTypes.Decode(codes.ReadBytes(modelPath), codes.DataType, codes.Shape.Aggregate(1L, (a, b) => a * b)).reshape(Shape);
        if (zeroPoint is not null)
        {
            torch.Tensor zero = OnnxIntegerTypes.Decode(zeroPoint.ReadBytes(modelPath), zeroPoint.DataType, zeroPoint.Shape.Aggregate(1L, (a, b) => a * b));
            values = values - Broadcast(zero);
        }
        // MatMulInteger has no scale: its weights are the integers less their zero point (the scale is a later Mul).
        if (scale is not null) values = values * Broadcast(ReadFloat(scale, modelPath).reshape(-1));
        return RoundToScaleType(values).MoveToOuterDisposeScope();
    }

    /// <summary>Lays a 1-D run of per-tensor, per-axis or per-block parameters out against the weight's shape.</summary>
    private torch.Tensor Broadcast(torch.Tensor flat)
    {
        if (Axis < 0) return flat.reshape([]);
        if (BlockSize == 0)
        {
            var view = Enumerable.Repeat(1L, Shape.Length).ToArray();
            view[Axis] = Shape[Axis];
            return flat.reshape(view);
        }
        var blocks = (long[])Shape.Clone();
        blocks[Axis] = (Shape[Axis] + BlockSize - 1) / BlockSize;
        return flat.reshape(blocks).repeat_interleave(BlockSize, Axis).narrow(Axis, 0, Shape[Axis]);
    }
}
