using SpectralGate.Engine.Baselines;
using SpectralGate.Engine.Signatures;

namespace SpectralGate.Engine.Gate;

/// <summary>The outcome: diagnostics to print, the signature when the model could be read, the baseline when it could be.</summary>
public sealed record GateResult(IReadOnlyList<GateDiagnostic> Diagnostics, SpectralSignature? Signature, SignatureComparison? Comparison, SpectralSignature? Baseline = null)
{
    public bool HasErrors => Diagnostics.Any(d => d.IsError);

    /// <summary>The three-part deconstruction of the first packages, from before the result carried the baseline; kept one major version.</summary>
    [Obsolete("Deconstruct into four: var (diagnostics, signature, comparison, baseline) = result (CHANGELOG.md).")]
    public void Deconstruct(out IReadOnlyList<GateDiagnostic> diagnostics, out SpectralSignature? signature, out SignatureComparison? comparison) =>
        (diagnostics, signature, comparison) = (Diagnostics, Signature, Comparison);
}
