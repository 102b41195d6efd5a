using SpectralGate.Engine.Metrics;

namespace SpectralAssert.Assertions;

/// <summary>Health labels of the selected layers: <c>Are.UnderTrained</c>, <c>Are.Not.UnderTrained</c>, <c>Are.Finite</c>.</summary>
public sealed class LabelAssertion
{
    private readonly LayerAssertion _layers;
    private readonly bool _negated;

    internal LabelAssertion(LayerAssertion layers, bool negated)
    {
        _layers = layers;
        _negated = negated;
    }

    public LabelAssertion Not => new(_layers, !_negated);

    public LayerConstraint UnderTrained => Labelled(HealthLabels.UnderTrained);
    public LayerConstraint OverTrained => Labelled(HealthLabels.OverTrained);
    /// <summary>The ESD of noise: no spike above the Marchenko–Pastur bulk (<see cref="HealthLabels.RandomLike"/>).</summary>
    public LayerConstraint RandomLike => Labelled(HealthLabels.RandomLike);
    public LayerConstraint RankCollapsed => Labelled(HealthLabels.RankCollapse);
    public LayerConstraint NonFinite => Labelled(HealthLabels.NonFinite);
    public LayerConstraint Degenerate => Labelled(HealthLabels.Degenerate);

    /// <summary>
    /// The element-shuffled matrix keeps a spike beyond its Marchenko–Pastur edge (<see cref="HealthLabels.CorrelationTrap"/>):
    /// computes the signature with <see cref="SpectralGate.Engine.Signatures.SignatureOptions.CorrelationTraps"/> on.
    /// </summary>
    public LayerConstraint CorrelationTrapped => new LabelAssertion(_layers.WithCorrelationTraps(), _negated).Labelled(HealthLabels.CorrelationTrap, CorrelationTraps.NumRandSpikes);

    /// <summary>No NaN or Inf in the weights: the same as <c>Are.Not.NonFinite</c>.</summary>
    public LayerConstraint Finite => new LabelAssertion(_layers, !_negated).NonFinite;

    /// <summary>No health label: neither over- nor under-trained nor random-like, not rank-collapsed, degenerate or non-finite (informational labels such as <c>alpha_not_judged</c> do not count).</summary>
    public LayerConstraint Healthy => _layers.Build(new LayerCheck(_negated ? "some health label" : "no health label", layer =>
    {
        bool healthy = HealthLabels.AreHealthy(layer.Labels);
        return new LayerVerdict(healthy != _negated, healthy ? "no labels" : "labels: " + string.Join(", ", layer.Labels));
    }));

    public LayerConstraint Labelled(string label) => Labelled(label, MetricNames.Alpha);

    /// <summary>As <see cref="Labelled(string)"/>, showing <paramref name="metric"/> (the one the label is judged from) in failures.</summary>
    private LayerConstraint Labelled(string label, string metric) => _layers.Build(new LayerCheck(_negated ? $"not labelled {label}" : $"labelled {label}", layer =>
    {
        bool has = layer.HasLabel(label);
        string observed = $"labels: [{string.Join(", ", layer.Labels)}]" + (layer[metric] is double a ? $", {metric} = {MetricAssertion.N(a)}" : "");
        return new LayerVerdict(has != _negated, observed);
    }));
}
