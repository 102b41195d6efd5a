using System.Runtime.InteropServices;

namespace SpectralGate.Engine.Errors;

/// <summary>
/// A layer whose spectrum did not fit in memory (host RAM, or the GPU's for <c>cuda</c>). The file is fine; the machine
/// is too small for it, so this is reported apart from an unreadable model.
/// </summary>
public sealed class MemoryExhaustedException(string filePath, string? layer, string problem, Exception? inner = null)
    : SpectralGateException(filePath, layer, problem, inner)
{
    // libtorch's allocators: c10's CPU allocator ("DefaultCPUAllocator: not enough memory", "can't allocate memory")
    // and the CUDA caching allocator ("CUDA out of memory"). TorchSharp surfaces them as ExternalException.
    private static readonly string[] TorchMessages = ["out of memory", "not enough memory", "can't allocate memory", "cannot allocate memory"];

    /// <summary>True when <paramref name="e"/> is an allocation failure, managed or in libtorch.</summary>
    public static bool Describes(Exception e) =>
        e is OutOfMemoryException
        || (e is ExternalException && TorchMessages.Any(m => e.Message.Contains(m, StringComparison.OrdinalIgnoreCase)));

    /// <summary>The error for a layer whose reading or spectrum ran out of memory, with what to try instead.</summary>
    public static MemoryExhaustedException ComputingSpectrum(string filePath, string layer, Exception e) =>
        new(filePath, layer, $"out of memory computing its spectrum ({e.Message.Split('\n')[0].Trim()}); use a machine with more memory, float32 precision or sketched spectra (docs/scale.md)", e);
}
