using System.Globalization;
using NUnit.Framework.Constraints;
using SpectralGate.Engine.Reports;

namespace SpectralAssert.Assertions;

/// <summary>A bound on the relative change of one metric between a reference model and the actual one.</summary>
public sealed class ChangeConstraint : Constraint
{
    private readonly SpectrumComparison _comparison;
    private readonly string _metric;
    private readonly Func<double, double, double> _change;
    private readonly double _limit;

    internal ChangeConstraint(SpectrumComparison comparison, string metric, string description, Func<double, double, double> change, double limit)
    {
        _comparison = comparison;
        _metric = metric;
        _change = change;
        _limit = limit;
        _description = $"{description} on {comparison.Selector.Describe()}";
    }

    private readonly string _description;

    public override string Description => _description;

    public override ConstraintResult ApplyTo<TActual>(TActual actual)
    {
        var before = SignatureInputs.Resolve(_comparison.Before, _comparison.Options);
        var after = SignatureInputs.Resolve(actual, _comparison.Options);
        var beforeLayers = _comparison.Selector.Select(before).ToDictionary(l => l.Name, StringComparer.Ordinal);
        var pairs = _comparison.Selector.Select(after).Where(l => beforeLayers.ContainsKey(l.Name)).Select(l => (Before: beforeLayers[l.Name], After: l)).ToList();
        if (pairs.Count == 0)
            return new SpectralConstraintResult(this, actual, false, $"Expected {Description},\nbut no selected layer is present in both models.\n");

        var failures = new List<string>();
        foreach (var (b, a) in pairs)
        {
            if (b[_metric] is not double vb || a[_metric] is not double va)
            {
                failures.Add($"{a.Name}: {_metric} {ComparisonTable.Number(b[_metric])} -> {ComparisonTable.Number(a[_metric])} (undefined)");
                continue;
            }
            double change = _change(vb, va);
            if (!(change <= _limit))
                failures.Add($"{a.Name}: {_metric} {ComparisonTable.Number(vb)} -> {ComparisonTable.Number(va)}, change {change.ToString("0.0%", CultureInfo.InvariantCulture)} (limit {_limit.ToString("0.0%", CultureInfo.InvariantCulture)})");
        }
        return failures.Count == 0
            ? new SpectralConstraintResult(this, actual, true, $"{pairs.Count} layers pass: {Description}\n")
            : new SpectralConstraintResult(this, actual, false,
                $"Expected {Description},\nbut {failures.Count} of {pairs.Count} layers fail ({pairs.Count - failures.Count} pass):\n" + SpectralConstraintResult.Lines(failures));
    }
}
