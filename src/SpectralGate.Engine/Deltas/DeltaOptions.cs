using SpectralGate.Engine.Metrics;
using SpectralGate.Engine.Sources;
using SpectralGate.Engine.Spectra;

namespace SpectralGate.Engine.Deltas;

/// <summary>Everything that decides how a delta signature (what a fine-tune changed) is computed.</summary>
public sealed class DeltaOptions
{
    /// <summary>TorchSharp device: <c>cpu</c> (default), <c>cuda</c>, ... Not recorded: results agree within tolerance.</summary>
    public string Device { get; init; } = "cpu";

    public SpectrumPrecision Precision { get; init; } = SpectrumPrecision.Float64;

    /// <summary>Which tensors are compared (matched by name in both checkpoints).</summary>
    public TensorSelection Selection { get; init; } = new();

    /// <summary>Power-law settings for alpha of W_base and W_tuned; the numerical-rank convention of ΔW.</summary>
    public MetricOptions Metrics { get; init; } = new();

    /// <summary>k of the top-k singular subspaces whose principal angles are reported (capped at the smaller side).</summary>
    public int SubspaceRank { get; init; } = 8;

    /// <summary>
    /// Null (default) for exact spectra. Set, a layer whose smaller side is above <see cref="SketchOptions.ExactUpTo"/> takes
    /// the spectra of W_base, W_tuned and ΔW, and the top-k subspaces, from block Lanczos (<see cref="LanczosQuadratureSpectrum"/>);
    /// recorded as the <c>sketch</c> setting, so sketched and exact deltas never pass for each other.
    /// </summary>
    public SketchOptions? Sketch { get; init; }
}
