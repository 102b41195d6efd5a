namespace SpectralGate.Engine.Signatures;

/// <summary>A tensor that was seen but not analysed, and why.</summary>
public sealed record SkippedTensor(string Name, long[] Shape, string Reason);
