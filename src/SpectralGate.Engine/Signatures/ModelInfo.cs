namespace SpectralGate.Engine.Signatures;

/// <summary>What the signature was computed from.</summary>
public sealed record ModelInfo(string Path, string Format, string Sha256, long ParameterCount);
