using System.Collections.Generic;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using SpectralGate.Analyzers.Internals;

namespace SpectralGate.Analyzers.Rules;

/// <summary>
/// SG0002: the decay of a linear recurrence <c>h = a * h + b</c> comes from sigmoid / exp(-softplus) / exp(-exp) /
/// exp(dt * A) with A &lt; 0, so every eigenvalue of the transition is in (0, 1). Grazzi et al. (ICLR 2025,
/// arXiv:2411.12537) prove such linear RNNs cannot solve parity in finite precision.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class PositiveTransitionAnalyzer : TorchAnalyzer
{
    internal static readonly DiagnosticDescriptor Rule = RuleDescriptors.Create(
        RuleIdentifiers.PositiveOnlyTransition,
        title: "State-transition eigenvalues are positive only",
        messageFormat: "The transition '{0}' of this linear recurrence has every eigenvalue in (0, 1), so the recurrence cannot track state such as parity; map it to (-1, 1), for example with 2 * {0} - 1",
        RuleCategories.Spectral,
        DiagnosticSeverity.Warning,
        description: "A linear recurrence whose decay is produced by sigmoid, exp(-softplus(.)), exp(-exp(.)) or exp(dt * A) with A < 0 has all transition eigenvalues in (0, 1); such linear RNNs provably cannot solve parity in finite precision (Grazzi et al., Unlocking State-Tracking in Linear RNNs Through Negative Eigenvalues). Map the decay to (-1, 1).");

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(Rule);

    internal override void Register(CompilationStartAnalysisContext context, TorchSymbols symbols) =>
        context.RegisterOperationBlockAction(block =>
        {
            foreach (var root in block.OperationBlocks)
            {
                Analyze(block, root, symbols);
            }
        });

    private static void Analyze(OperationBlockAnalysisContext context, IOperation root, TorchSymbols symbols)
    {
        var flow = new ValueFlow(root);
        var ranges = new ValueRanges(symbols, flow);
        var reported = new HashSet<IOperation>();

        foreach (var operation in root.Descendants())
        {
            switch (operation)
            {
                case ISimpleAssignmentOperation assignment when symbols.IsTensor(assignment.Target.Type) && assignment.IsInsideLoop():
                {
                    if (ValueFlow.SymbolOf(assignment.Target) is not { } state)
                    {
                        break;
                    }

                    foreach (var term in assignment.Value.AdditiveTerms(symbols))
                    {
                        var factors = term.ElementwiseFactors(symbols);
                        if (factors.Count == 2)
                        {
                            var stateIndex = IndexOfState(factors, state, symbols);
                            if (stateIndex >= 0)
                            {
                                Check(factors[1 - stateIndex]);
                            }
                        }
                    }

                    break;
                }

                case ICompoundAssignmentOperation { OperatorKind: BinaryOperatorKind.Multiply } compound
                    when symbols.IsTensor(compound.Target.Type) && compound.IsInsideLoop():
                    Check(compound.Value);
                    break;
                case IInvocationOperation invocation when symbols.TryGetCall(invocation, out var call):
                    if (call.Name == "mul_" && call.IsInstance && call.Operands.Length == 2 && invocation.IsInsideLoop() &&
                        ValueFlow.SymbolOf(call.Operands[0]) is not null)
                    {
                        Check(call.Operands[1]);
                    }
                    else if (call.Name == "cumprod")
                    {
                        // The parallel (scan) form of the same recurrence: prod_{s <= t} a_s.
                        Check(call.First);
                    }

                    break;
            }
        }

        void Check(IOperation? decay)
        {
            var result = ranges.Classify(decay);
            if (result.Range != ValueRange.UnitInterval || result.Origin is not { } origin || !IsLearned(origin, symbols) || !reported.Add(origin))
            {
                return;
            }

            context.ReportDiagnostic(Diagnostic.Create(Rule, origin.Syntax.GetLocation(), origin.Syntax.ToString()));
        }
    }

    private static int IndexOfState(List<IOperation> factors, ISymbol state, TorchSymbols symbols)
    {
        for (var i = 0; i < factors.Count; i++)
        {
            if (SymbolEqualityComparer.Default.Equals(factors[i].BaseSymbol(symbols, out _), state))
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>A constant decay (an EMA) is not a learned transition; only computed ones are reported.</summary>
    private static bool IsLearned(IOperation origin, TorchSymbols symbols) =>
        !origin.ConstantValue.HasValue && (origin is IInvocationOperation || (origin is IBinaryOperation b && b.OperatorMethod is not null) ||
            (origin is IUnaryOperation u && u.OperatorMethod is not null)) && symbols.IsTensor(origin.Type);
}
