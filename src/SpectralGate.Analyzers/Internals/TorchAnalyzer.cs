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
    /// <summary>The operation kinds a diagnostic can start from.</summary>
    private protected abstract ImmutableArray<OperationKind> CandidateKinds { get; }

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
                block.RegisterOperationAction(operation => AnalyzeCandidate(new RuleContext(operation, symbols, methods)), CandidateKinds));
        });
    }

    internal abstract void AnalyzeCandidate(RuleContext context);
}
