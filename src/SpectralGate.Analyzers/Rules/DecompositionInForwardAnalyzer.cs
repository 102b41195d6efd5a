using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using SpectralGate.Analyzers.Internals;

namespace SpectralGate.Analyzers.Rules;

/// <summary>
/// SG0006 (off by default): an eigen- or singular-value decomposition inside a module's <c>forward</c> runs on every
/// step, costs O(n^3) and has gradients that blow up near repeated eigenvalues. Often intended (the spectral-norm
/// constraint of SG0001 is one), so it is only a suggestion.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class DecompositionInForwardAnalyzer : TorchAnalyzer
{
    internal static readonly DiagnosticDescriptor Rule = RuleDescriptors.Create(
        RuleIdentifiers.DecompositionInForward,
        title: "Spectral decomposition on every forward step",
        messageFormat: "'{0}' runs on every call of forward; consider a power iteration, a cached estimate, or moving it out of the training step",
        RuleCategories.Performance,
        DiagnosticSeverity.Info,
        description: "An eigen- or singular-value decomposition in forward costs O(n^3) per step and its gradient is unstable when eigenvalues are close. A few steps of power iteration with a persistent vector (as in spectral normalisation) usually suffice.",
        isEnabledByDefault: false);

    public DecompositionInForwardAnalyzer() : base(Rule, OperationKind.Invocation) { }

    internal override void AnalyzeCandidate(RuleContext context)
    {
        if (context.Operation is IInvocationOperation { TargetMethod.Name: "eig" or "eigh" or "eigvals" or "eigvalsh" or "svd" or "svdvals" } invocation &&
            context.Symbols.TryGetCall(invocation, out var call) && call.ContainerName == "linalg" &&
            context.ContainingSymbol is IMethodSymbol { Name: "forward", IsOverride: true } method && context.Symbols.IsModuleType(method.ContainingType))
        {
            context.Report(Diagnostic.Create(Rule, invocation.Syntax.GetLocation(), "linalg." + call.Name));
        }
    }
}
