using SpectralGate.Engine.Baselines;
using SpectralGate.Engine.Signatures;

namespace SpectralGate.Engine.Gate;

/// <summary>The outcome: diagnostics to print, the signature when the model could be read, the baseline when it could be.</summary>
public sealed record GateResult(IReadOnlyList<GateDiagnostic> Diagnostics, SpectralSignature? Signature, SignatureComparison? Comparison, SpectralSignature? Baseline = null)
{
    public bool HasErrors => Diagnostics.Any(d => d.IsError);
}
