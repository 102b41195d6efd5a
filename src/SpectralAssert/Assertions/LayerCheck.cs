using SpectralGate.Engine.Signatures;

namespace SpectralAssert.Assertions;

/// <summary>A test applied to each selected layer, described as its expectation ("alpha in [2, 6]").</summary>
public sealed record LayerCheck(string Expectation, Func<LayerSignature, LayerVerdict> Apply);
