namespace SpectralGate.Engine.Spectra;

/// <summary>One spectrum of a layer: eigenvalues λ = σ², descending, and how they were obtained.</summary>
public sealed record LayerSpectrum(SpectrumKind Kind, double[] Eigenvalues);
