using SpectralGate.Engine.Baselines;
using SpectralGate.Engine.Errors;
using SpectralGate.Engine.Runtime;
using SpectralGate.Engine.Signatures;
using SpectralGate.Engine.Sources;

namespace SpectralGate.Engine.Gate;

/// <summary>
/// The spectral gate for one model: compute its signature, compare it with the baseline, and describe every problem
/// as a located diagnostic with a stable code. Never throws for bad input: that is a diagnostic too.
/// </summary>
public static class GateCheck
{
    public static GateResult Run(GateRequest request)
    {
        bool baselineExists = File.Exists(request.BaselinePath);
        // A stale baseline (SG1006) is a project-level fact the MSBuild gate finds; here a missing model is a wrong path.
        var (computed, failure) = GateSignature.Compute(request);
        if (computed is not { } signature) return new GateResult([failure!], null, null);
        // A pass that speaks for a minority of the weights says so (SG1017), whatever the comparison finds.
        GateDiagnostic[] coverage = signature.Coverage is { IsMinority: true } c
            ? [new GateDiagnostic(request.ModelPath, 1, 1, false, GateCodes.MinorityAnalysed, c.MinorityWarning)] : [];

        if (!baselineExists)
            return new GateResult([.. coverage, new GateDiagnostic(request.ModelPath, 1, 1, true, GateCodes.MissingBaseline,
                $"no spectral baseline at '{request.BaselinePath}'. To create it: {request.AcceptHint}.")], signature, null);

        SpectralSignature baseline;
        RecordedTolerances recorded;
        byte[] baselineBytes;
        try
        {
            baselineBytes = SignatureJson.ReadBytes(request.BaselinePath);
            (baseline, recorded) = BaselineFile.Parse(request.BaselinePath, baselineBytes);
        }
        catch (BaselineFormatException e)
        {
            return new GateResult([.. coverage, new GateDiagnostic(request.BaselinePath, 1, 1, true, GateCodes.UnreadableBaseline,
                $"{e.Problem}{(e.Layer is null ? "" : $" (layer '{e.Layer}')")} To replace it with the current signature: {request.AcceptHint}.")], signature, null);
        }

        var policy = recorded.Resolve(request.ToleranceOverrides);
        var comparison = SignatureComparer.Compare(baseline, signature, policy, request.FailOnEquivalentChange);
        string[] lines = System.Text.Encoding.UTF8.GetString(baselineBytes).Split('\n');
        // Baseline warnings first; then one diagnostic per structural or settings change, one per layer that moved (its first line; check prints the details).
        var diagnostics = coverage.Concat(BaselineWarnings.Of(baselineBytes)
            .Select(w => new GateDiagnostic(request.BaselinePath, 1, 1, false, GateCodes.BaselineNotUnderstood, w)))
            .Concat(comparison.Findings.Where(f => f.Kind != FindingKind.Regression).Select(f => ToDiagnostic(f, request, lines)))
            .Concat(LayerFindings.Of(comparison).Select(l => ToDiagnostic(l, request, lines))).ToList();
        return new GateResult(diagnostics, signature, comparison, baseline);
    }

    private static GateDiagnostic ToDiagnostic(Finding f, GateRequest request, string[] lines)
    {
        var (line, column) = f.Kind == FindingKind.SettingsChanged ? (1, 1) : BaselineLocator.Find(lines, f.Layer);
        string code = f.Kind switch
        {
            FindingKind.SettingsChanged => GateCodes.SettingsChanged,
            FindingKind.EquivalentChange => GateCodes.EquivalentChange,
            _ => GateCodes.StructuralChange,
        };
        string what = f.Kind == FindingKind.SettingsChanged ? f.Message : $"layer '{f.Layer}': {f.Message}";
        // Structural and settings changes are never downgraded: the baseline no longer describes this model.
        bool error = f.Kind != FindingKind.EquivalentChange || !request.WarningsOnly;
        return new GateDiagnostic(request.BaselinePath, line, column, error, code, $"{what}. To accept: {request.AcceptHint}.");
    }

    private static GateDiagnostic ToDiagnostic(LayerFindings layer, GateRequest request, string[] lines)
    {
        var (line, column) = BaselineLocator.Find(lines, layer.Layer);
        return new GateDiagnostic(request.BaselinePath, line, column, !request.WarningsOnly, GateCodes.Regression,
            $"{Reports.LayerHeadline.For(layer)}. To accept: {request.AcceptHint}.");
    }

    /// <summary>SG1004 "file not found" when the model path names nothing; null when it exists.</summary>
    public static GateDiagnostic? ModelNotFound(GateRequest request) =>
        File.Exists(request.ModelPath) || Directory.Exists(request.ModelPath) ? null
            : new GateDiagnostic(request.ModelPath, 1, 1, true, GateCodes.UnreadableModel,
                $"file not found: model '{request.ModelPath}' (baseline '{request.BaselinePath}'). Check the path of the SpectralModel item");

    /// <summary>The diagnostic for a failure to compute a model's signature: each kind of trouble has its own code.</summary>
    public static GateDiagnostic DiagnosticFor(Exception e, string modelPath) => e switch
    {
        SpectralGateException g => new GateDiagnostic(g.FilePath, 1, 1, true, CodeOf(g), g.Problem + (g.Layer is null ? "" : $" (tensor '{g.Layer}')")),
        _ when TorchRuntimeLoadFailure.Describes(e) => new GateDiagnostic(modelPath, 1, 1, true, GateCodes.ToolFailure,
            $"spectralgate cannot load libtorch on this machine ({TorchRuntimeLoadFailure.Describe(e)}). {ToolInstallHint.Text}"),
        _ => throw new ArgumentException("not a failure the gate describes", nameof(e), e),
    };

    private static string CodeOf(SpectralGateException e) => e switch
    {
        NothingAnalysedException => GateCodes.NothingAnalysed,
        MemoryExhaustedException => GateCodes.OutOfMemory,
        SpectrumComputationException => GateCodes.EigensolverFailure,
        DeviceUnavailableException => GateCodes.DeviceUnavailable,
        _ => GateCodes.UnreadableModel,
    };
}
