using SpectralGate.Engine.Matrices;
using SpectralGate.Engine.Spectra;

namespace SpectralGate.Engine.Signatures;

/// <summary>Everything that decides how a signature is computed: the shared <see cref="ComputeOptions"/> and the signature's own steps.</summary>
public sealed record SignatureOptions : ComputeOptions
{
    public MatrixViewOptions Matrices { get; init; } = new();

    /// <summary>Globs mapped to layer kinds, over the module class and the name rule (docs/layer-kinds.md); recorded as <c>layer_kinds</c> when set.</summary>
    public LayerKindMap Kinds { get; init; } = LayerKindMap.Empty;

    /// <summary>
    /// Compute <c>alpha_farms</c> on fixed-aspect-ratio windows of 2-D weights (FARMS, Hu et al. 2025; CLI <c>--farms</c>).
    /// Off by default: its 64 window spectra per matrix cost about twice all the other work on a real model
    /// (all-MiniLM-L6-v2, docs/scale.md), more than the whole budget of ten times faster than WeightWatcher.
    /// </summary>
    public bool Farms { get; init; }

    public FarmsOptions FarmsWindows { get; init; } = new();

    /// <summary>
    /// Also compute <c>rand_distance</c>, <c>num_rand_spikes</c> and the <c>correlation_trap</c> label from the exact ESD of
    /// each matrix with its elements shuffled (WeightWatcher's <c>randomize</c>; <see cref="CorrelationTrapMeasure"/>). Off by
    /// default: it costs one more exact spectrum and one float64 copy per layer.
    /// </summary>
    public bool CorrelationTraps { get; init; }

    /// <summary>Null for the whole signature; set, only this shard's layers are computed and the result is partial (see <see cref="SignatureMerge"/>).</summary>
    public ShardSpec? Shard { get; init; }

    /// <summary>Receives each layer's pooled eigenvalues (descending) as they are computed, e.g. to plot ESDs. Not a setting.</summary>
    public Action<string, double[]>? SpectrumObserver { get; init; }

    internal override OptionScope Result => OptionScope.Signatures;
}
