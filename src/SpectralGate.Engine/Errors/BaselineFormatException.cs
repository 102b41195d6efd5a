namespace SpectralGate.Engine.Errors;

/// <summary>A signature or baseline file that cannot be read.</summary>
public sealed class BaselineFormatException(string filePath, string? layer, string problem, Exception? inner = null)
    : SpectralGateException(filePath, layer, problem, inner);
