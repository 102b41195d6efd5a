using TorchSharp;

namespace SpectralGate.Engine.Sources.Onnx;

/// <summary>
/// A weight an ONNX model stores quantized, described without its data, and decoded on demand into the float
/// weights the model computes with. Named after the weight (docs/model-encodings.md, "Quantized ONNX").
/// </summary>
internal abstract class OnnxQuantizedWeight(string name, long[] shape, TensorDType dtype, string storedDType)
{
    /// <summary>The weight's name: the quantized initializer's, less the suffix ONNX Runtime's quantizers add.</summary>
    public string Name { get; } = name;

    /// <summary>The shape of the float weight.</summary>
    public long[] Shape { get; } = shape;

    /// <summary>The float type the dequantized values are rounded to (the scale's type, as the operator's output is).</summary>
    public TensorDType DType { get; } = dtype;

    /// <summary>The stored encoding, e.g. <c>INT8 (DequantizeLinear)</c>.</summary>
    public string StoredDType { get; } = storedDType;

    /// <summary>The float weight in the scale's type; <paramref name="modelPath"/> names the file in errors.</summary>
    public abstract torch.Tensor Dequantize(string modelPath);

    /// <summary>Rounds exact float64 products once to the scale's type, as the operator's float output holds them.</summary>
    protected torch.Tensor RoundToScaleType(torch.Tensor exact) => exact.to(DType switch
    {
        TensorDType.Float64 => torch.ScalarType.Float64,
        TensorDType.Float16 => torch.ScalarType.Float16,
        TensorDType.BFloat16 => torch.ScalarType.BFloat16,
        _ => torch.ScalarType.Float32,
    });

    /// <summary>A small float tensor (scales, float zero points) as float64, in its stored shape.</summary>
    protected static torch.Tensor ReadFloat(OnnxTensorInfo info, string modelPath) =>
        TensorData.ToTensor(info.ReadBytes(modelPath), info.DType, info.Shape, torch.ScalarType.Float64, torch.CPU);
}
