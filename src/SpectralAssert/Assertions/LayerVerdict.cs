namespace SpectralAssert.Assertions;

/// <summary>The verdict on one layer: whether it passes and, for the message, what was seen there.</summary>
public readonly record struct LayerVerdict(bool Passed, string Observed);
