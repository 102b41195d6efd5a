namespace SpectralGate.Engine.Errors;

/// <summary>
/// Base of every error SpectralGate reports about its inputs. Always names the file and, where one is involved,
/// the layer (tensor), so a failure in CI points at what to look at. The CLI maps these to exit code 2.
/// </summary>
public class SpectralGateException : Exception
{
    public SpectralGateException(string filePath, string? layer, string problem, Exception? inner = null)
        : base(Format(filePath, layer, problem), inner)
    {
        FilePath = filePath;
        Layer = layer;
        Problem = problem;
    }

    /// <summary>The file the problem is in, as the caller named it.</summary>
    public string FilePath { get; }

    /// <summary>The tensor or layer concerned, when the problem is local to one.</summary>
    public string? Layer { get; }

    /// <summary>The problem alone, without the file and layer prefix.</summary>
    public string Problem { get; }

    private static string Format(string filePath, string? layer, string problem) =>
        layer is null ? $"{filePath}: {problem}" : $"{filePath}: tensor '{layer}': {problem}";
}
