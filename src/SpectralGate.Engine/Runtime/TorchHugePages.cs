using System.Runtime.InteropServices;

namespace SpectralGate.Engine.Runtime;

/// <summary>
/// Asks libtorch to back its large CPU buffers (2 MiB and up) with transparent huge pages, through its own switch
/// <c>THP_MEM_ALLOC_ENABLE</c>. Every tensor the engine loads, widens and multiplies is a fresh allocation, and on
/// virtual machines a first touch of 4 KiB pages can be very slow: measured on this project's CI machine, 0.2 GB/s
/// with 4 KiB pages against 10 GB/s with huge pages, and a TinyLlama-sized exact signature 189 s against 114 s.
/// </summary>
/// <remarks>
/// libtorch reads the variable once, at its first CPU allocation, from the native environment (which
/// <see cref="Environment.SetEnvironmentVariable(string, string)"/> does not change on Unix), so this must run before
/// any tensor exists. A value the user has set, including <c>0</c>, is kept.
/// </remarks>
public static class TorchHugePages
{
    public const string VariableName = "THP_MEM_ALLOC_ENABLE";
    private static int _requested;

    /// <summary>Sets <c>THP_MEM_ALLOC_ENABLE=1</c> on Linux unless it is set already; does nothing elsewhere or on a second call.</summary>
    public static void Request()
    {
        if (!OperatingSystem.IsLinux() || Interlocked.Exchange(ref _requested, 1) == 1) return;
        if (Environment.GetEnvironmentVariable(VariableName) is not null) return;
        try
        {
            setenv(VariableName, "1", overwrite: 0);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            // Not glibc (musl names its library differently): libtorch keeps its default allocation.
        }
    }

    [DllImport("libc.so.6", CharSet = CharSet.Ansi)]
    private static extern int setenv(string name, string value, int overwrite);
}
