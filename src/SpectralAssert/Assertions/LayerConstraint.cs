using NUnit.Framework.Constraints;
using SpectralGate.Engine.Signatures;

namespace SpectralAssert.Assertions;

/// <summary>
/// The NUnit constraint behind <c>Spectrum.Layers(...)...</c>: computes (or takes) the signature of the actual value,
/// selects layers, and applies one check to each. An empty selection fails: it is a typo, not a vacuous pass.
/// </summary>
public sealed class LayerConstraint : Constraint
{
    private readonly LayerSelector _selector;
    private readonly LayerCheck _check;
    private readonly SignatureOptions _options;

    internal LayerConstraint(LayerSelector selector, LayerCheck check, SignatureOptions options)
    {
        _selector = selector;
        _check = check;
        _options = options;
        _description = $"{check.Expectation} on {selector.Describe()}";
    }

    private readonly string _description;

    public override string Description => _description;

    public override ConstraintResult ApplyTo<TActual>(TActual actual)
    {
        SpectralSignature signature = SignatureInputs.Resolve(actual, _options);
        var layers = _selector.Select(signature);
        if (layers.Count == 0)
        {
            string available = string.Join(", ", signature.Layers.Take(12).Select(l => l.Name)) + (signature.Layers.Count > 12 ? ", ..." : "");
            return new SpectralConstraintResult(this, actual, false,
                $"Expected {Description} of {SignatureInputs.Describe(actual)},\nbut no layer is selected. The model's layers: {available}\n");
        }

        var verdicts = layers.Select(l => (Layer: l, Verdict: _check.Apply(l))).ToList();
        var failed = verdicts.Where(v => !v.Verdict.Passed).ToList();
        if (failed.Count == 0)
            return new SpectralConstraintResult(this, actual, true, $"{layers.Count} layers pass: {Description}\n");

        int width = failed.Max(f => f.Layer.Name.Length);
        string message = $"Expected {Description} of {SignatureInputs.Describe(actual)},\n"
            + $"but {failed.Count} of {layers.Count} selected layers fail ({layers.Count - failed.Count} pass):\n"
            + SpectralConstraintResult.Lines(failed.Select(f => $"{f.Layer.Name.PadRight(width)}  {f.Verdict.Observed}"));
        return new SpectralConstraintResult(this, actual, false, message);
    }
}
