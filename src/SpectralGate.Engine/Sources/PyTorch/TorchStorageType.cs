namespace SpectralGate.Engine.Sources.PyTorch;

/// <summary>
/// The <c>torch.*Storage</c> classes <c>torch.save</c> names in a pickle, one per dtype. Only the floating ones are
/// decoded; the others are known so their tensors can be listed as skipped with their dtype.
/// </summary>
internal sealed record TorchStorageType(string ClassName, string DTypeName, TensorDType DType, int ElementSize)
{
    private static readonly TorchStorageType[] Known =
    [
        new("DoubleStorage", "float64", TensorDType.Float64, 8),
        new("FloatStorage", "float32", TensorDType.Float32, 4),
        new("HalfStorage", "float16", TensorDType.Float16, 2),
        new("BFloat16Storage", "bfloat16", TensorDType.BFloat16, 2),
        new("LongStorage", "int64", TensorDType.Unsupported, 8),
        new("IntStorage", "int32", TensorDType.Unsupported, 4),
        new("ShortStorage", "int16", TensorDType.Unsupported, 2),
        new("CharStorage", "int8", TensorDType.Unsupported, 1),
        new("ByteStorage", "uint8", TensorDType.Unsupported, 1),
        new("BoolStorage", "bool", TensorDType.Unsupported, 1),
        new("ComplexFloatStorage", "complex64", TensorDType.Unsupported, 8),
        new("ComplexDoubleStorage", "complex128", TensorDType.Unsupported, 16),
    ];

    private static readonly Dictionary<string, TorchStorageType> ByClass = Known.ToDictionary(t => t.ClassName, StringComparer.Ordinal);

    /// <summary>The storage class <c>torch.<paramref name="name"/></c>, or null when it is not one.</summary>
    public static TorchStorageType? Find(string module, string name) =>
        module == "torch" && ByClass.TryGetValue(name, out var t) ? t : null;
}
