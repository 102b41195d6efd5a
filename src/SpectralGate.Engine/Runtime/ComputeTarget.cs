using SpectralGate.Engine.Errors;
using TorchSharp;

namespace SpectralGate.Engine.Runtime;

/// <summary>
/// Where and in what type every pipeline computes (signatures, deltas, adapters): the device, checked once so that a
/// device this process cannot use is <see cref="DeviceUnavailableException"/> (SG1011, exit code 3) wherever it is asked
/// for, never a libtorch error at the first tensor moved; the scalar type; and the thread policy that goes with them.
/// </summary>
public sealed record ComputeTarget
{
    private ComputeTarget(torch.Device device, torch.ScalarType scalarType)
    {
        Device = device;
        ScalarType = scalarType;
    }

    public torch.Device Device { get; }

    /// <summary><c>Float64</c> or <c>Float32</c>: the type of the Gram matrix and its eigenvalues.</summary>
    public torch.ScalarType ScalarType { get; }

    public bool IsFloat32 => ScalarType == torch.ScalarType.Float32;

    /// <summary>Bytes of one element on the device, for the workers' memory budget.</summary>
    public long ElementBytes => IsFloat32 ? 4 : 8;

    /// <summary>
    /// Layers side by side on the CPU's cores, each on one libtorch thread (<see cref="OneThreadWorkers"/>): the same bits
    /// as one after another. A GPU runs one layer at a time.
    /// </summary>
    public bool RunsLayersInParallel => Device.type == DeviceType.CPU;

    /// <param name="model">The model the work is for, named by the error.</param>
    /// <param name="device"><c>cpu</c>, <c>cuda</c>, <c>cuda:N</c>.</param>
    /// <param name="float32">Float32 rather than the default float64.</param>
    public static ComputeTarget Open(string model, string device, bool float32) =>
        new(ParseDevice(model, device), float32 ? torch.ScalarType.Float32 : torch.ScalarType.Float64);

    private static torch.Device ParseDevice(string model, string device)
    {
        torch.Device parsed;
        try
        {
            parsed = new torch.Device(device);
        }
        catch (Exception e) when (!TorchRuntimeLoadFailure.Describes(e))
        {
            throw new ArgumentException($"'{device}' is not a TorchSharp device (cpu, cuda, cuda:N).", e);
        }
        if (parsed.type == DeviceType.CUDA && !torch.cuda.is_available())
            throw new DeviceUnavailableException(model, device,
                $"device '{device}' was asked for but no CUDA runtime is loaded in this process: it references libtorch CPU only. "
                + "Reference a TorchSharp-cuda-linux or TorchSharp-cuda-windows package (for the gate: publish a CLI with one and set SpectralGateCliPath, docs/gpu-and-linux.md), or use --device cpu.");
        if (parsed.type == DeviceType.CUDA && parsed.index >= torch.cuda.device_count())
            throw new DeviceUnavailableException(model, device, $"device '{device}' was asked for but this machine has {torch.cuda.device_count()} CUDA device(s).");
        return parsed;
    }
}
