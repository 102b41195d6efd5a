using SpectralGate.Engine.Errors;
using SpectralGate.Engine.Runtime;
using SpectralGate.Engine.Signatures;
using SpectralGate.Engine.Sources;

namespace SpectralGate.Engine.Gate;

/// <summary>The gate's first step, shared by checking and accepting: the model's signature, or the diagnostic that says why there is none.</summary>
public static class GateSignature
{
    /// <returns>The signature and no diagnostic; or no signature and the diagnostic (a wrong path, an unreadable model, a machine that cannot compute it).</returns>
    public static (SpectralSignature? Signature, GateDiagnostic? Failure) Compute(GateRequest request)
    {
        if (GateCheck.ModelNotFound(request) is { } notFound) return (null, notFound);
        try
        {
            using var source = ModelSources.Open(request.ModelPath);
            return (SpectralEngine.Compute(source, request.Signature, request.Progress), null);
        }
        catch (Exception e) when (e is SpectralGateException || TorchRuntimeLoadFailure.Describes(e))
        {
            return (null, GateCheck.DiagnosticFor(e, request.ModelPath));
        }
    }
}
