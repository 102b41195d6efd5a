using System.Globalization;
using NUnit.Framework.Constraints;
using SpectralGate.Engine.Baselines;
using SpectralGate.Engine.Reports;

namespace SpectralAssert.Assertions;

/// <summary>Every metric of every layer within tolerance of the reference model, and the same layers and shapes.</summary>
public sealed class ComparisonConstraint : Constraint
{
    private readonly SpectrumComparison _comparison;
    private readonly TolerancePolicy _policy;

    internal ComparisonConstraint(SpectrumComparison comparison, TolerancePolicy policy)
    {
        _comparison = comparison;
        _policy = policy;
        _description = "the same spectral signature within tolerance";
    }

    private readonly string _description;

    public override string Description => _description;

    public override ConstraintResult ApplyTo<TActual>(TActual actual)
    {
        var before = SignatureInputs.Resolve(_comparison.Before, _comparison.Options);
        var after = SignatureInputs.Resolve(actual, _comparison.Options);
        var result = SignatureComparer.Compare(before, after, _policy);
        return result.IsMatch
            ? new SpectralConstraintResult(this, actual, true, $"{result.LayersCompared} layers match\n")
            : new SpectralConstraintResult(this, actual, false,
                $"Expected {Description},\nbut {result.Findings.Count} differences in {result.LayersWithFindings} layers ({result.LayersMatching} of {result.LayersCompared} compared layers match):\n{ComparisonTable.Render(result)}");
    }
}
