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

/// <summary>A model seen as a sequence of named tensors, yielded lazily in the order the model stores them.</summary>
public interface ITensorSource : IDisposable
{
    /// <summary>What the model is, as given by the caller (a path, or a description for a live module).</summary>
    string Description { get; }

    /// <summary>Format name written to signatures: <c>safetensors</c>, <c>onnx</c>, <c>torchsharp</c>, <c>module</c>.</summary>
    string Format { get; }

    /// <summary>The tensors, described; reading an entry's data is up to the caller.</summary>
    IEnumerable<TensorEntry> Tensors { get; }

    /// <summary>SHA-256 of the model's bytes (all files of a sharded checkpoint, in index order), lowercase hex.</summary>
    string ComputeSha256();
}
