namespace SpectralGate.Engine.Sources;

public static class TensorDTypeExtensions
{
    /// <summary>Bytes per element, or 0 for <see cref="TensorDType.Unsupported"/>.</summary>
    public static int Size(this TensorDType dtype) => dtype switch
    {
        TensorDType.Float64 => 8,
        TensorDType.Float32 => 4,
        TensorDType.Float16 or TensorDType.BFloat16 => 2,
        _ => 0,
    };
}
