using SpectralGate.Engine.Baselines;
using SpectralGate.Engine.Signatures;

namespace SpectralGate.Engine.Gate;

/// <summary>What the gate needs to check one model against one baseline.</summary>
public sealed class GateRequest
{
    public required string ModelPath { get; init; }

    public required string BaselinePath { get; init; }

    public SignatureOptions Signature { get; init; } = new();

    /// <summary>Overrides on top of the rules recorded in the baseline (the later wins).</summary>
    public IReadOnlyList<ToleranceRule> ToleranceOverrides { get; init; } = [];

    /// <summary>Report regressions as warnings (the build passes).</summary>
    public bool WarningsOnly { get; init; }

    /// <summary>Fail (SG1015) on a layer whose values changed with every metric within tolerance (permuted, transposed, re-quantized).</summary>
    public bool FailOnEquivalentChange { get; init; }

    /// <summary>How the message tells people to accept: e.g. "dotnet build -p:SpectralGateAccept=true".</summary>
    public string AcceptHint { get; init; } = "re-run with --accept";

    /// <summary>Told of each tensor done while the signature is computed.</summary>
    public IProgress<SignatureProgress>? Progress { get; init; }
}
