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
