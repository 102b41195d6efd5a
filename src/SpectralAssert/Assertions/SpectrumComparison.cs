using SpectralGate.Engine.Baselines;
using SpectralGate.Engine.Metrics;
using SpectralGate.Engine.Signatures;

namespace SpectralAssert.Assertions;

/// <summary>The actual model against a reference model (<c>Spectrum.Of(before)</c>), layer by layer.</summary>
public sealed class SpectrumComparison
{
    internal SpectrumComparison(object before, LayerSelector selector, SignatureOptions options)
    {
        Before = before;
        Selector = selector;
        Options = options;
    }

    internal object Before { get; }
    internal LayerSelector Selector { get; }
    internal SignatureOptions Options { get; }

    public SpectrumComparison Layers(string glob) => new(Before, Selector.Glob(glob), Options);

    public SpectrumComparison Using(SignatureOptions options) => new(Before, Selector, options);

    public MetricChange Metric(string name) => new(this, name);

    public MetricChange Alpha => Metric(MetricNames.Alpha);
    public MetricChange StableRank => Metric(MetricNames.StableRank);
    public MetricChange EffectiveRank => Metric(MetricNames.EffectiveRank);
    public MetricChange SpectralNorm => Metric(MetricNames.SpectralNorm);
    public MetricChange SpectralEntropy => Metric(MetricNames.SpectralEntropy);

    /// <summary>Every metric within the tolerances (defaults, or the given policy), and no structural change.</summary>
    public ComparisonConstraint WithinTolerance(TolerancePolicy? policy = null) => new(this, policy ?? new TolerancePolicy());
}
