namespace SpectralAssert.Assertions;

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
