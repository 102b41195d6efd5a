using TorchSharp;

namespace SpectralGate.Engine.Sources;

/// <summary>
/// One named tensor of a model, described without its data. The data is read only when <see cref="Load"/> is
/// called, so a source can stream a checkpoint one tensor at a time.
/// </summary>
public abstract class TensorEntry
{
    protected TensorEntry(string name, long[] shape, TensorDType dtype, string storedDType)
    {
        Name = name;
        Shape = shape;
        DType = dtype;
        StoredDType = storedDType;
    }

    /// <summary>The tensor's name as the model stores it (e.g. <c>model.layers.0.mlp.up_proj.weight</c>).</summary>
    public string Name { get; }

    public long[] Shape { get; }

    public TensorDType DType { get; }

    /// <summary>The element type as the file names it (<c>BF16</c>, <c>INT8</c>, ...), for messages about skipped tensors.</summary>
    public string StoredDType { get; }

    public long ElementCount => Shape.Aggregate(1L, (a, b) => a * b);

    /// <summary>
    /// Why the source cannot decode this tensor (a quantization it does not read, a scale computed at run time), or
    /// null when it can. Such a tensor is listed as skipped with this reason, never silently dropped.
    /// </summary>
    public virtual string? UndecodableReason => null;

    /// <summary>
    /// The quantization layout of a weight stored quantized (<c>GPTQ</c>, <c>AWQ</c>, <c>FP8</c>, ...), decoded or not;
    /// null for a tensor stored plainly. Counted apart in a signature's coverage.
    /// </summary>
    public virtual string? Quantization => null;

    /// <summary>
    /// For a quantization parameter (a scale, zero point, packed index, original shape), the name of the weight it
    /// belongs to; null for anything else. Such a tensor is never analysed: it is listed as a parameter of its weight.
    /// </summary>
    public virtual string? QuantizationParameterOf => null;

    /// <summary>
    /// For a live module's parameter, the class names of the modules that enclose it below the model, outermost first
    /// and its owner last (<c>["CausalSelfAttention", "Linear"]</c>); empty for files, whose kinds come from names.
    /// </summary>
    public virtual IReadOnlyList<string> ModuleTypes => [];

    /// <summary>
    /// Reads the data into a new tensor of <paramref name="computeType"/> (float32 or float64) on <paramref name="device"/>.
    /// Throws <see cref="Errors.ModelFormatException"/> when the data cannot be read.
    /// </summary>
    public abstract torch.Tensor Load(torch.Device device, torch.ScalarType computeType);
}
