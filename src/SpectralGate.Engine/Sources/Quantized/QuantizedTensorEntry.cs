using System.Runtime.InteropServices;
using TorchSharp;

namespace SpectralGate.Engine.Sources.Quantized;

/// <summary>A quantized weight as a tensor of the model: decoded, one weight at a time, when loaded.</summary>
internal sealed class QuantizedTensorEntry(QuantizedWeight weight) : TensorEntry(weight.Name, weight.Shape, weight.DType, weight.Encoding)
{
    public override string? UndecodableReason => weight.NotDecodedReason;

    public override string? Quantization => weight.Layout;

    public override torch.Tensor Load(torch.Device device, torch.ScalarType computeType)
    {
        if (weight.ElementCount > int.MaxValue)
            throw weight.Packed.Bad($"decodes to {weight.ElementCount} values; a quantized weight above 2^31 values is not decoded.");
        // Every dequantized value is a float32 (rounded to the scale's type at most that wide): decoded straight into
        // the float32 tensor's memory, then widened exactly if float64 is asked.
        using var values = torch.empty(weight.Shape, torch.ScalarType.Float32);
        if (weight.ElementCount > 0) weight.Decode(MemoryMarshal.Cast<byte, float>(values.bytes));
        return values.to(computeType, device);
    }
}

/// <summary>A scale, zero point or index of a quantized weight: a tensor of the model, never analysed.</summary>
internal sealed class QuantizationParameterEntry(TensorEntry stored, string weight, string layout) : TensorEntry(stored.Name, stored.Shape, stored.DType, stored.StoredDType)
{
    public override string? QuantizationParameterOf => weight;

    public override string? Quantization => layout;

    public override torch.Tensor Load(torch.Device device, torch.ScalarType computeType) => stored.Load(device, computeType);
}
