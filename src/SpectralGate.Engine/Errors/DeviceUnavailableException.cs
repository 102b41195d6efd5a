namespace SpectralGate.Engine.Errors;

/// <summary>
/// The device asked for (<c>cuda</c>, <c>cuda:N</c>) does not exist in this process: no CUDA runtime is loaded, or the
/// index is beyond the GPUs present. Not a fault of the model; the machine or the tool cannot do what was asked.
/// </summary>
public sealed class DeviceUnavailableException(string filePath, string device, string problem, Exception? inner = null)
    : SpectralGateException(filePath, null, problem, inner)
{
    /// <summary>The device as the caller spelled it.</summary>
    public string Device { get; } = device;
}
