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
    public LayerConstraint RankCollapsed => Labelled(HealthLabels.RankCollapse);
    public LayerConstraint NonFinite => Labelled(HealthLabels.NonFinite);
    public LayerConstraint Degenerate => Labelled(HealthLabels.Degenerate);

    /// <summary>No NaN or Inf in the weights: the same as <c>Are.Not.NonFinite</c>.</summary>
    public LayerConstraint Finite => new LabelAssertion(_layers, !_negated).NonFinite;

    /// <summary>Neither over- nor under-trained, not rank-collapsed, degenerate or non-finite.</summary>
    public LayerConstraint Healthy => _layers.Build(new LayerCheck(_negated ? "some health label" : "no health label", layer =>
    {
        bool healthy = layer.Labels.Count == 0;
        return new LayerVerdict(healthy != _negated, healthy ? "no labels" : "labels: " + string.Join(", ", layer.Labels));
    }));

    public LayerConstraint Labelled(string label) => _layers.Build(new LayerCheck(_negated ? $"not labelled {label}" : $"labelled {label}", layer =>
    {
        bool has = layer.HasLabel(label);
        string observed = $"labels: [{string.Join(", ", layer.Labels)}]" + (layer[MetricNames.Alpha] is double a ? $", alpha = {MetricAssertion.N(a)}" : "");
        return new LayerVerdict(has != _negated, observed);
    }));
}
