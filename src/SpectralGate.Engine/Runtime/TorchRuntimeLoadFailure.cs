namespace SpectralGate.Engine.Runtime;

/// <summary>
/// Recognises libtorch failing to load in this process: TorchSharp's static constructor throws when no native
/// runtime package matches the machine (a Linux-only tool on Windows or macOS, natives deleted, an old glibc).
/// Such a process cannot compute any spectrum, so the failure belongs to the tool, never to the model.
/// </summary>
public static class TorchRuntimeLoadFailure
{
    /// <summary>True when <paramref name="e"/>, or an exception inside it, is TorchSharp failing to load libtorch.</summary>
    public static bool Describes(Exception e)
    {
        for (Exception? x = e; x is not null; x = x.InnerException)
        {
            if (x is DllNotFoundException or BadImageFormatException or EntryPointNotFoundException) return true;
            if (x is TypeInitializationException t && t.TypeName?.StartsWith("TorchSharp.", StringComparison.Ordinal) == true) return true;
            // TorchSharp's own message when no libtorch-* package is referenced or its natives cannot be opened.
            if (x is NotSupportedException && x.Message.Contains("libtorch", StringComparison.OrdinalIgnoreCase)) return true;
        }
        return false;
    }

    /// <summary>The innermost message: the one naming the library that could not be opened.</summary>
    public static string Describe(Exception e)
    {
        Exception x = e;
        while (x.InnerException is not null) x = x.InnerException;
        return x.Message.Split('\n')[0].Trim();
    }
}
