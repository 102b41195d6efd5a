using SpectralGate.Engine.Signatures;

namespace SpectralAssert.Assertions;

/// <summary>The verdict on one layer: whether it passes and, for the message, what was seen there.</summary>
public readonly record struct LayerVerdict(bool Passed, string Observed);

/// <summary>A test applied to each selected layer, described as its expectation ("alpha in [2, 6]").</summary>
public sealed record LayerCheck(string Expectation, Func<LayerSignature, LayerVerdict> Apply);
