namespace SpectralAssert.Assertions;

/// <summary>One ΔW metric on the selected layers, waiting for its bound.</summary>
public sealed class DeltaMetricAssertion
{
    private readonly DeltaAssertion _delta;
    private readonly string _metric;

    internal DeltaMetricAssertion(DeltaAssertion delta, string metric)
    {
        _delta = delta;
        _metric = metric;
    }

    public DeltaConstraint AtMost(double upper) => Bound($"≤ {MetricAssertion.N(upper)}", v => v <= upper);

    public DeltaConstraint AtLeast(double lower) => Bound($"≥ {MetricAssertion.N(lower)}", v => v >= lower);

    public DeltaConstraint LessThan(double upper) => Bound($"< {MetricAssertion.N(upper)}", v => v < upper);

    public DeltaConstraint GreaterThan(double lower) => Bound($"> {MetricAssertion.N(lower)}", v => v > lower);

    /// <summary>lower ≤ value ≤ upper.</summary>
    public DeltaConstraint InRange(double lower, double upper) =>
        Bound($"in [{MetricAssertion.N(lower)}, {MetricAssertion.N(upper)}]", v => v >= lower && v <= upper);

    private DeltaConstraint Bound(string bound, Func<double, bool> accepts) => new(_delta, _metric, bound, accepts);
}
