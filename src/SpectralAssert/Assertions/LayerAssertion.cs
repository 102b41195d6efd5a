using System.Text.RegularExpressions;
using SpectralGate.Engine.Matrices;
using SpectralGate.Engine.Metrics;
using SpectralGate.Engine.Signatures;

namespace SpectralAssert.Assertions;

/// <summary>A selection of layers, waiting for the metric or label to assert on.</summary>
public sealed class LayerAssertion
{
    internal LayerAssertion(LayerSelector selector, SignatureOptions options)
    {
        Selector = selector;
        Options = options;
    }

    internal LayerSelector Selector { get; }

    internal SignatureOptions Options { get; }

    /// <summary>Narrows the selection to one kind of layer.</summary>
    public LayerAssertion OfKind(LayerKind kind) => new(Selector.Kind(kind), Options);

    public LayerAssertion Matching(string glob) => new(Selector.Glob(glob), Options);

    public LayerAssertion Matching(Regex regex) => new(Selector.Regex(regex), Options);

    public LayerAssertion Where(Func<LayerSignature, bool> predicate, string description = "matching a predicate") => new(Selector.Where(predicate, description), Options);

    /// <summary>Computes the signature with these options (precision, device, conv mode, ...).</summary>
    public LayerAssertion Using(SignatureOptions options) => new(Selector, options);

    public MetricAssertion Metric(string name) => new(this, name);

    internal LayerAssertion WithCorrelationTraps() => new(Selector, Options with { CorrelationTraps = true });

    public MetricAssertion Alpha => Metric(MetricNames.Alpha);
    public MetricAssertion AlphaFarms => Metric(MetricNames.AlphaFarms);
    public MetricAssertion AlphaWeighted => Metric(MetricNames.AlphaWeighted);
    public MetricAssertion StableRank => Metric(MetricNames.StableRank);
    public MetricAssertion EffectiveRank => Metric(MetricNames.EffectiveRank);
    public MetricAssertion NumericalRank => Metric(MetricNames.NumericalRank);
    public MetricAssertion SpectralNorm => Metric(MetricNames.SpectralNorm);
    public MetricAssertion FrobeniusNorm => Metric(MetricNames.FrobeniusNorm);
    public MetricAssertion SpectralEntropy => Metric(MetricNames.SpectralEntropy);
    public MetricAssertion ConditionNumber => Metric(MetricNames.ConditionNumber);
    public MetricAssertion NumSpikes => Metric(MetricNames.NumSpikes);
    public MetricAssertion MpSoftRank => Metric(MetricNames.MpSoftRank);
    public MetricAssertion KsDistance => Metric(MetricNames.KsDistance);

    /// <summary><c>rand_distance</c>; computed with correlation traps on.</summary>
    public MetricAssertion RandDistance => WithCorrelationTraps().Metric(CorrelationTraps.RandDistance);
    /// <summary><c>num_rand_spikes</c>; computed with correlation traps on.</summary>
    public MetricAssertion NumRandSpikes => WithCorrelationTraps().Metric(CorrelationTraps.NumRandSpikes);

    /// <summary>Health labels: <c>.Are.UnderTrained</c>, <c>.Are.Not.UnderTrained</c>, <c>.Are.Finite</c>, ...</summary>
    public LabelAssertion Are => new(this, negated: false);

    internal LayerConstraint Build(LayerCheck check) => new(Selector, check, Options);
}
