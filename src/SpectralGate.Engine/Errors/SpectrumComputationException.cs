namespace SpectralGate.Engine.Errors;

/// <summary>A layer whose spectrum the eigensolver could not compute (LAPACK did not converge even in float64).</summary>
public sealed class SpectrumComputationException(string filePath, string? layer, string problem, Exception? inner = null)
    : SpectralGateException(filePath, layer, problem, inner);
