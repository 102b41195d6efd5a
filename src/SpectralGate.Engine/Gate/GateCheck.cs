using SpectralGate.Engine.Baselines;
using SpectralGate.Engine.Errors;
using SpectralGate.Engine.Runtime;
using SpectralGate.Engine.Signatures;
using SpectralGate.Engine.Sources;

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

    /// <summary>How the message tells people to accept: e.g. "dotnet build -p:SpectralGateAccept=true".</summary>
    public string AcceptHint { get; init; } = "re-run with --accept";

    /// <summary>Told of each tensor done while the signature is computed.</summary>
    public IProgress<SignatureProgress>? Progress { get; init; }
}

/// <summary>The outcome: diagnostics to print, and the signature when the model could be read.</summary>
public sealed record GateResult(IReadOnlyList<GateDiagnostic> Diagnostics, SpectralSignature? Signature, SignatureComparison? Comparison)
{
    public bool HasErrors => Diagnostics.Any(d => d.IsError);
}

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
        if (ModelNotFound(request) is { } notFound) return Only(notFound);

        SpectralSignature signature;
        try
        {
            using var source = ModelSources.Open(request.ModelPath);
            signature = SpectralEngine.Compute(source, request.Signature, request.Progress);
        }
        catch (Exception e) when (e is SpectralGateException || TorchRuntimeLoadFailure.Describes(e))
        {
            return Only(DiagnosticFor(e, request.ModelPath));
        }

        if (!baselineExists)
            return new GateResult([new GateDiagnostic(request.ModelPath, 1, 1, true, GateCodes.MissingBaseline,
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
            return new GateResult([new GateDiagnostic(request.BaselinePath, 1, 1, true, GateCodes.UnreadableBaseline,
                $"{e.Problem}{(e.Layer is null ? "" : $" (layer '{e.Layer}')")} To replace it with the current signature: {request.AcceptHint}.")], signature, null);
        }

        var policy = recorded.Resolve(request.ToleranceOverrides);
        var comparison = SignatureComparer.Compare(baseline, signature, policy);
        string[] lines = System.Text.Encoding.UTF8.GetString(baselineBytes).Split('\n');
        var diagnostics = BaselineWarnings.Of(baselineBytes)
            .Select(w => new GateDiagnostic(request.BaselinePath, 1, 1, false, GateCodes.BaselineNotUnderstood, w))
            .Concat(comparison.Findings.Select(f => ToDiagnostic(f, request, lines))).ToList();
        return new GateResult(diagnostics, signature, comparison);
    }

    private static GateDiagnostic ToDiagnostic(Finding f, GateRequest request, string[] lines)
    {
        var (line, column) = f.Kind == FindingKind.SettingsChanged ? (1, 1) : BaselineLocator.Find(lines, f.Layer);
        string code = f.Kind switch
        {
            FindingKind.StructuralChange => GateCodes.StructuralChange,
            FindingKind.SettingsChanged => GateCodes.SettingsChanged,
            _ => GateCodes.Regression,
        };
        string what = f.Kind switch
        {
            FindingKind.Regression when f.Expected is double e && f.Actual is double a && f.Tolerance is { } t =>
                $"layer '{f.Layer}': {f.Metric} {Reports.ComparisonTable.Number(e)} -> {Reports.ComparisonTable.Number(a)} (delta {Reports.ComparisonTable.Number(a - e)}, tolerance {t}, {f.Excess:0.0}x over)",
            FindingKind.Regression => $"layer '{f.Layer}': {f.Metric}: {f.Message}",
            FindingKind.SettingsChanged => f.Message,
            _ => $"layer '{f.Layer}': {f.Message}",
        };
        // Structural and settings changes are never downgraded: the baseline no longer describes this model.
        bool error = f.Kind != FindingKind.Regression || !request.WarningsOnly;
        return new GateDiagnostic(request.BaselinePath, line, column, error, code, $"{what}. To accept: {request.AcceptHint}.");
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

    private static GateResult Only(GateDiagnostic d) => new([d], null, null);
}
