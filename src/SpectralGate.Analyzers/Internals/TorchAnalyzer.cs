using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace SpectralGate.Analyzers.Internals;

/// <summary>
/// Common start of every rule: nothing is registered when the compilation does not reference TorchSharp; otherwise
/// one operation action per candidate kind. A rule rejects most operations with a cheap test and only then asks the
/// <see cref="RuleContext"/> for the method's data-flow table, which is built once per method and shared.
/// </summary>
public abstract class TorchAnalyzer : DiagnosticAnalyzer
{
    private readonly ImmutableArray<DiagnosticDescriptor> _supported;

    /// <summary>The operation kinds a diagnostic can start from.</summary>
    private readonly ImmutableArray<OperationKind> _candidateKinds;

    /// <param name="rule">The one diagnostic the rule reports.</param>
    /// <param name="candidateKinds">The operation kinds a diagnostic can start from.</param>
    private protected TorchAnalyzer(DiagnosticDescriptor rule, params OperationKind[] candidateKinds)
    {
        _supported = ImmutableArray.Create(rule);
        _candidateKinds = ImmutableArray.Create(candidateKinds);
    }

    public sealed override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => _supported;

    public sealed override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(start =>
        {
            if (TorchSymbols.Create(start.Compilation) is not { } symbols)
            {
                return;
            }

            var methods = new MethodStates();

            // Operation actions under a block start, so that a diagnostic anywhere in the method stays local to it.
            start.RegisterOperationBlockStartAction(block =>
                block.RegisterOperationAction(operation => AnalyzeCandidate(new RuleContext(operation, symbols, methods)), _candidateKinds));
        });
    }

    internal abstract void AnalyzeCandidate(RuleContext context);
}
