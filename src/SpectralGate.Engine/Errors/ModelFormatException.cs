namespace SpectralGate.Engine.Errors;

/// <summary>A model file that is missing, truncated, corrupt or not in a supported format.</summary>
public sealed class ModelFormatException(string filePath, string? layer, string problem, Exception? inner = null)
    : SpectralGateException(filePath, layer, problem, inner);
