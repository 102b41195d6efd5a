using SpectralGate.Engine.Errors;
using SpectralGate.Engine.Runtime;
using TorchSharp;

namespace SpectralGate.Engine.Sources;

/// <summary>The read stage: decodes one tensor onto a device, telling a bad file from a machine that is too small.</summary>
public static class TensorReader
{
    /// <summary>
    /// Held while one tensor is read: sources map, open or unzip lazily and are not shared across threads, so the
    /// side-by-side workers (signatures and deltas alike) read one at a time while the others compute.
    /// </summary>
    internal static readonly object OneReadAtATime = new();

    /// <summary>The tensor as <paramref name="type"/> on <paramref name="device"/>, owned by the caller's dispose scope.</summary>
    public static torch.Tensor Read(ITensorSource source, TensorEntry entry, torch.Device device, torch.ScalarType type)
    {
        try
        {
            return entry.Load(device, type);
        }
        catch (Exception e) when (MemoryExhaustedException.Describes(e))
        {
            throw MemoryExhaustedException.ComputingSpectrum(source.Description, entry.Name, e);
        }
        catch (Exception e) when (e is not SpectralGateException and not OperationCanceledException && !TorchRuntimeLoadFailure.Describes(e))
        {
            // A decoding failure; memory and a missing libtorch are the machine's trouble, reported apart.
            throw new ModelFormatException(source.Description, entry.Name, $"cannot be read: {e.Message}", e);
        }
    }

    /// <summary>False when the tensor holds NaN or Inf, which make every spectral number meaningless.</summary>
    /// <remarks>
    /// From the extremes in one pass (NaN propagates through min and max, ±Inf is one of them): <c>isfinite().all()</c>
    /// makes four passes and three temporaries as large as the tensor, 13 s of a 60 s sketched TinyLlama run (docs/scale.md).
    /// </remarks>
    public static bool IsFinite(torch.Tensor tensor)
    {
        if (tensor.numel() == 0) return true;
        var (min, max) = torch.aminmax(tensor);
        using (min)
        using (max)
            return double.IsFinite(min.to(torch.ScalarType.Float64).item<double>()) && double.IsFinite(max.to(torch.ScalarType.Float64).item<double>());
    }
}
