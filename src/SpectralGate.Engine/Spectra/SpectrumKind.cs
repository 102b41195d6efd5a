namespace SpectralGate.Engine.Spectra;

/// <summary>How a layer's eigenvalues were obtained, which decides the metrics they can support.</summary>
public enum SpectrumKind
{
    /// <summary>Every eigenvalue of the Gram matrix (<see cref="GramSpectrum"/>).</summary>
    Exact,

    /// <summary>Lanczos quadrature (<see cref="LanczosQuadratureSpectrum"/>): the bulk and top are close, σ_min is only bounded.</summary>
    Sketched,

    /// <summary>The pooled spectrum of fixed-aspect-ratio windows of the matrix (<see cref="FarmsSpectrum"/>), for <c>alpha_farms</c>.</summary>
    FarmsWindows,
}
