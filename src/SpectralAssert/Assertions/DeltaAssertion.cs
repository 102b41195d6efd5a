using SpectralGate.Engine.Deltas;
using SpectralGate.Engine.Names;

namespace SpectralAssert.Assertions;

/// <summary>
/// <c>Spectrum.DeltaFrom(base)</c>: a selection of the layers of ΔW = W_actual − W_base, waiting for the metric:
/// <c>.Layers("model.layers.*.self_attn.q_proj.weight").StableRank.AtMost(8)</c>, <c>.AllLayers.RelativeChange.AtMost(0.05)</c>.
/// </summary>
public sealed class DeltaAssertion
{
    internal DeltaAssertion(object baseModel, IReadOnlyList<string> globs, DeltaOptions options)
    {
        BaseModel = baseModel;
        Globs = globs;
        Options = options;
    }

    internal object BaseModel { get; }

    /// <summary>Name globs the layer must match, all of them (none: every layer).</summary>
    internal IReadOnlyList<string> Globs { get; }

    internal DeltaOptions Options { get; }

    /// <summary>Layers whose name matches the glob (<c>*</c> within a segment, <c>**</c> across segments).</summary>
    public DeltaAssertion Layers(string glob) => new(BaseModel, [.. Globs, glob], Options);

    /// <summary>Every layer both models have (and, as failures, those only one has).</summary>
    public DeltaAssertion AllLayers => this;

    /// <summary>Computes the delta with these options (precision, device, selection, subspace rank).</summary>
    public DeltaAssertion Using(DeltaOptions options) => new(BaseModel, Globs, options);

    public DeltaMetricAssertion Metric(string name) => new(this, name);

    /// <summary>‖ΔW‖_F / ‖W_base‖_F.</summary>
    public DeltaMetricAssertion RelativeChange => Metric(DeltaMetricNames.RelativeChange);
    /// <summary>Stable rank of ΔW (a LoRA-like update is low rank).</summary>
    public DeltaMetricAssertion StableRank => Metric(DeltaMetricNames.StableRank);
    public DeltaMetricAssertion EffectiveRank => Metric(DeltaMetricNames.EffectiveRank);
    public DeltaMetricAssertion NumericalRank => Metric(DeltaMetricNames.NumericalRank);
    public DeltaMetricAssertion SpectralNorm => Metric(DeltaMetricNames.SpectralNorm);
    /// <summary>‖ΔW‖₂ / √(fan_out / fan_in): about 1 or below for a μP-sized step.</summary>
    public DeltaMetricAssertion SpectralNormMup => Metric(DeltaMetricNames.SpectralNormMup);
    /// <summary>Largest principal angle (degrees) between the top-k singular subspaces of W_base and W_tuned.</summary>
    public DeltaMetricAssertion SubspaceMaxAngle => Metric(DeltaMetricNames.SubspaceMaxAngle);
    public DeltaMetricAssertion AlphaChange => Metric(DeltaMetricNames.AlphaChange);

    internal bool Selects(string layer) => Globs.All(g => new NameGlob(g).IsMatch(layer));

    internal string Describe() => Globs.Count == 0 ? "all layers" : "layers " + string.Join(" and ", Globs.Select(g => $"matching \"{g}\""));
}
