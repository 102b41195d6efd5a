using SpectralGate.Engine.Baselines;
using SpectralGate.Engine.Signatures;

namespace SpectralGate.Engine.Gate;

/// <summary>The outcome: diagnostics to print, and the signature when the model could be read.</summary>
public sealed record GateResult(IReadOnlyList<GateDiagnostic> Diagnostics, SpectralSignature? Signature, SignatureComparison? Comparison)
{
    public bool HasErrors => Diagnostics.Any(d => d.IsError);
}
