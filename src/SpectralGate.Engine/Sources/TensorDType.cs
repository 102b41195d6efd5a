namespace SpectralGate.Engine.Sources;

/// <summary>Element types a checkpoint can store. Only the floating types are analysed; the others are reported as skipped.</summary>
public enum TensorDType
{
    Float64,
    Float32,
    Float16,
    BFloat16,
    /// <summary>Anything else (integers, bool, 8-bit floats, complex): kept so the tensor can be reported as skipped.</summary>
    Unsupported,
}

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
