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

/// <summary>How a metric may move between the reference and the actual model, as a fraction of the reference value.</summary>
public sealed class MetricChange
{
    private readonly SpectrumComparison _comparison;
    private readonly string _metric;

    internal MetricChange(SpectrumComparison comparison, string metric)
    {
        _comparison = comparison;
        _metric = metric;
    }

    /// <summary>(before − after) / |before|.</summary>
    public ChangeBound DroppedBy => new(_comparison, _metric, "dropped by", (b, a) => (b - a) / Math.Abs(b));

    /// <summary>(after − before) / |before|.</summary>
    public ChangeBound RoseBy => new(_comparison, _metric, "rose by", (b, a) => (a - b) / Math.Abs(b));

    /// <summary>|after − before| / |before|.</summary>
    public ChangeBound ChangedBy => new(_comparison, _metric, "changed by", (b, a) => Math.Abs(a - b) / Math.Abs(b));
}

public sealed class ChangeBound
{
    private readonly SpectrumComparison _comparison;
    private readonly string _metric;
    private readonly string _verb;
    private readonly Func<double, double, double> _change;

    internal ChangeBound(SpectrumComparison comparison, string metric, string verb, Func<double, double, double> change)
    {
        _comparison = comparison;
        _metric = metric;
        _verb = verb;
        _change = change;
    }

    /// <summary>The relative change is at most <paramref name="fraction"/> (0.2 = 20%) on every selected layer.</summary>
    public ChangeConstraint AtMost(double fraction) =>
        new(_comparison, _metric, $"{_metric} {_verb} at most {fraction.ToString("0.##%", System.Globalization.CultureInfo.InvariantCulture)}", (b, a) => _change(b, a), fraction);
}
