using NUnit.Framework.Constraints;
using SpectralGate.Engine.Deltas;

namespace SpectralAssert.Assertions;

/// <summary>
/// The NUnit constraint behind <c>Spectrum.DeltaFrom(base)...</c>: computes the delta of the actual model against the
/// base and bounds one ΔW metric on each selected layer. An unchanged layer has ΔW = 0, so its ΔW norms and ranks read 0
/// (its <c>relative_change</c> is 0); a layer on one side only, reshaped or non-finite fails; an empty selection fails.
/// </summary>
public sealed class DeltaConstraint : Constraint
{
    private readonly DeltaAssertion _delta;
    private readonly string _metric;
    private readonly string _bound;
    private readonly Func<double, bool> _accepts;

    internal DeltaConstraint(DeltaAssertion delta, string metric, string bound, Func<double, bool> accepts)
    {
        _delta = delta;
        _metric = metric;
        _bound = bound;
        _accepts = accepts;
        Description = $"{metric} of ΔW {bound} on {delta.Describe()}";
    }

    public override string Description { get; }

    public override ConstraintResult ApplyTo<TActual>(TActual actual)
    {
        DeltaSignature delta = DeltaInputs.Compute(_delta.BaseModel, actual, _delta.Options);
        var layers = delta.Layers.Where(l => _delta.Selects(l.Name)).ToList();
        var oneSided = delta.OnlyInBase.Where(_delta.Selects).Select(n => (Name: n, Observed: "only in the base model"))
            .Concat(delta.OnlyInTuned.Where(_delta.Selects).Select(n => (Name: n, Observed: "only in the actual model"))).ToList();
        string subject = $"{SignatureInputs.Describe(actual)} against {SignatureInputs.Describe(_delta.BaseModel)}";
        if (layers.Count + oneSided.Count == 0)
        {
            string available = string.Join(", ", delta.Layers.Take(12).Select(l => l.Name)) + (delta.Layers.Count > 12 ? ", ..." : "");
            return new SpectralConstraintResult(this, actual, false,
                $"Expected {Description} of {subject},\nbut no layer is selected. The layers both models have: {available}\n");
        }

        var failed = layers.Select(l => (l.Name, Verdict: Judge(l))).Where(v => !v.Verdict.Passed).Select(v => (v.Name, v.Verdict.Observed))
            .Concat(oneSided).ToList();
        int selected = layers.Count + oneSided.Count;
        if (failed.Count == 0)
            return new SpectralConstraintResult(this, actual, true, $"{selected} layers pass: {Description}\n");
        int width = failed.Max(f => f.Name.Length);
        string message = $"Expected {Description} of {subject},\n"
            + $"but {failed.Count} of {selected} selected layers fail ({selected - failed.Count} pass):\n"
            + SpectralConstraintResult.Lines(failed.Select(f => $"{f.Name.PadRight(width)}  {f.Observed}"));
        return new SpectralConstraintResult(this, actual, false, message);
    }

    private LayerVerdict Judge(LayerDelta layer)
    {
        double? value = layer[_metric] ?? (layer.Status == DeltaStatus.Unchanged && IsOfDeltaW(_metric) ? 0 : null);
        string status = LayerDelta.StatusName(layer.Status);
        return value is double v
            ? new LayerVerdict(_accepts(v), $"{_metric} = {MetricAssertion.N(v)}  (expected {_bound}; {status})")
            : new LayerVerdict(false, $"{_metric} undefined  (expected {_bound}; {status})");
    }

    /// <summary>The norms and ranks of ΔW itself, which are 0 when nothing changed (angles and alphas are not).</summary>
    private static bool IsOfDeltaW(string metric) => metric is DeltaMetricNames.RelativeChange or DeltaMetricNames.FrobeniusNorm
        or DeltaMetricNames.SpectralNorm or DeltaMetricNames.StableRank or DeltaMetricNames.EffectiveRank
        or DeltaMetricNames.NumericalRank or DeltaMetricNames.SpectralNormMup;
}
