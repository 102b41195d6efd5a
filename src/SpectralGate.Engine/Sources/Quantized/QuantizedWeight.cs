namespace SpectralGate.Engine.Sources.Quantized;

/// <summary>
/// A weight a checkpoint stores quantized: its packed tensor and its parameters, described without their data, and
/// decoded on demand into the float matrix the library computes with, under the weight's own name and shape
/// (<c>model.layers.0.self_attn.q_proj.weight</c>, <c>[out, in]</c>).
/// </summary>
public abstract class QuantizedWeight
{
    protected QuantizedWeight(string name, long[] shape, TensorDType dtype, string layout, string encoding, StoredTensor packed, IReadOnlyList<StoredTensor> parameters)
    {
        Name = name;
        Shape = shape;
        DType = dtype;
        Layout = layout;
        Encoding = encoding;
        Packed = packed;
        Parameters = parameters;
    }

    /// <summary>The weight's name, as the float checkpoint names it.</summary>
    public string Name { get; }

    /// <summary>The float weight's shape (<c>[out, in]</c> for a linear layer).</summary>
    public long[] Shape { get; }

    /// <summary>
    /// The float type the library's dequantization rounds to (the scale's type). Every value of it is a float32, so
    /// <see cref="Decode"/> writes float32 exactly.
    /// </summary>
    public TensorDType DType { get; }

    /// <summary>The layout, short, as counted in the coverage line: <c>GPTQ</c>, <c>AWQ</c>, <c>FP8</c>, ...</summary>
    public string Layout { get; }

    /// <summary>The stored encoding in words, e.g. <c>GPTQ 4-bit, group 128</c>, written where a dtype would be.</summary>
    public string Encoding { get; }

    /// <summary>The stored tensor whose place the weight takes in the checkpoint's order (<c>qweight</c>, <c>weight_packed</c>, <c>weight</c>).</summary>
    public StoredTensor Packed { get; }

    /// <summary>Its quantization parameters (scales, zero points, indices, shape): listed as such, never analysed.</summary>
    public IReadOnlyList<StoredTensor> Parameters { get; }

    /// <summary>Why this weight is not decoded (a layout or setting this reader does not decode), or null when it is.</summary>
    public virtual string? NotDecodedReason => null;

    /// <summary>Element count of the float weight.</summary>
    public long ElementCount => Shape.Aggregate(1L, (a, b) => a * b);

    /// <summary>
    /// Writes the float weight, row-major, into <paramref name="destination"/> (exactly <see cref="ElementCount"/>
    /// values), each the library's dequantized value (rounded to <see cref="DType"/>). Throws
    /// <see cref="Errors.ModelFormatException"/> naming file and tensor when the stored data contradicts the layout.
    /// </summary>
    public abstract void Decode(Span<float> destination);
}

/// <summary>A quantized weight that is recognised but not decoded, with the reason; listed as skipped with it.</summary>
public sealed class UndecodedWeight(string name, long[] shape, string layout, string encoding, StoredTensor packed, IReadOnlyList<StoredTensor> parameters, string reason)
    : QuantizedWeight(name, shape, TensorDType.Float32, layout, encoding, packed, parameters)
{
    public override string? NotDecodedReason => $"{Layout} weight not decoded: {reason}";

    public override void Decode(Span<float> destination) => throw Packed.Bad(NotDecodedReason!);
}
