namespace SpectralAssert.Assertions;

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
