using System.Globalization;

namespace SpectralAssert.Assertions;

/// <summary>One metric on the selected layers, waiting for its bound.</summary>
public sealed class MetricAssertion
{
    private readonly LayerAssertion _layers;
    private readonly string _metric;

    internal MetricAssertion(LayerAssertion layers, string metric)
    {
        _layers = layers;
        _metric = metric;
    }

    /// <summary>lower ≤ value ≤ upper.</summary>
    public LayerConstraint InRange(double lower, double upper) =>
        Bound($"in [{N(lower)}, {N(upper)}]", v => v >= lower && v <= upper);

    public LayerConstraint AtLeast(double lower) => Bound($"≥ {N(lower)}", v => v >= lower);

    public LayerConstraint AtMost(double upper) => Bound($"≤ {N(upper)}", v => v <= upper);

    public LayerConstraint GreaterThan(double lower) => Bound($"> {N(lower)}", v => v > lower);

    public LayerConstraint LessThan(double upper) => Bound($"< {N(upper)}", v => v < upper);

    /// <summary>|value − expected| ≤ tolerance.</summary>
    public LayerConstraint EqualTo(double expected, double tolerance) =>
        Bound($"= {N(expected)} ± {N(tolerance)}", v => Math.Abs(v - expected) <= tolerance);

    /// <summary>The metric is defined (e.g. alpha needs at least 10 eigenvalues and finite weights).</summary>
    public LayerConstraint Defined() => _layers.Build(new LayerCheck($"{_metric} defined",
        l => l[_metric] is double v ? new LayerVerdict(true, $"{_metric} = {N(v)}") : new LayerVerdict(false, $"{_metric} undefined")));

    private LayerConstraint Bound(string bound, Func<double, bool> accepts) =>
        _layers.Build(new LayerCheck($"{_metric} {bound}", layer => layer[_metric] switch
        {
            double v => new LayerVerdict(accepts(v), $"{_metric} = {N(v)}  (expected {bound})"),
            null => new LayerVerdict(false, $"{_metric} undefined  (expected {bound}; labels: {string.Join(", ", layer.Labels)})"),
        }));

    internal static string N(double v) => v.ToString("G6", CultureInfo.InvariantCulture);
}
