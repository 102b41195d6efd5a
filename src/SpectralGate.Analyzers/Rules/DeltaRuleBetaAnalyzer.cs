using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using SpectralGate.Analyzers.Internals;

namespace SpectralGate.Analyzers.Rules;

/// <summary>
/// SG0003: a DeltaNet-style transition <c>I - beta k kᵀ</c> (unit-norm k) with <c>beta</c> from sigmoid has the
/// eigenvalue 1 - beta in (0, 1) along k and 1 elsewhere: never negative. Grazzi et al. (arXiv:2411.12537) extend
/// beta to (0, 2) so that 1 - beta covers (-1, 1).
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class DeltaRuleBetaAnalyzer : TorchAnalyzer
{
    internal static readonly DiagnosticDescriptor Rule = RuleDescriptors.Create(
        RuleIdentifiers.DeltaRuleBetaInUnitInterval,
        title: "Delta-rule step size keeps the transition eigenvalue positive",
        messageFormat: "The step size '{0}' of the delta-rule transition I - beta k kᵀ is in (0, 1), so the eigenvalue 1 - beta never goes negative; use beta in (0, 2), for example 2 * {0}",
        RuleCategories.Spectral,
        DiagnosticSeverity.Warning,
        description: "In a DeltaNet-style transition I - beta k kᵀ with unit-norm k, the eigenvalue along k is 1 - beta. With beta from sigmoid it stays in (0, 1) and the linear RNN cannot track state such as parity (Grazzi et al., Unlocking State-Tracking in Linear RNNs Through Negative Eigenvalues). Scale beta to (0, 2).");

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
            if (!symbols.IsTensorBinary(operation, BinaryOperatorKind.Subtract, out var subtract) || !IsIdentity(subtract.LeftOperand, flow, symbols, 0))
            {
                continue;
            }

            var factors = new List<IOperation>();
            CollectProductFactors(subtract.RightOperand, factors, flow, symbols, 0);
            if (RepeatedBase(factors, symbols) is not { } vector)
            {
                continue;
            }

            // Everything but k and kᵀ is the step size; only a lone factor is judged, so 2 * sigmoid(x) stays silent.
            var others = factors.Where(f => !SymbolEqualityComparer.Default.Equals(f.BaseSymbol(symbols, out _), vector)).ToList();
            if (others.Count != 1)
            {
                continue;
            }

            var range = ranges.Classify(others[0]);
            if (range.Range == ValueRange.UnitInterval && range.Origin is IInvocationOperation origin && reported.Add(origin))
            {
                context.ReportDiagnostic(Diagnostic.Create(Rule, origin.Syntax.GetLocation(), origin.Syntax.ToString()));
            }
        }
    }

    private static bool IsIdentity(IOperation operation, ValueFlow flow, TorchSymbols symbols, int depth)
    {
        var value = TorchSymbols.Unwrap(operation);
        if (depth > 8 || value is null)
        {
            return false;
        }

        if (value is ILocalReferenceOperation local)
        {
            var definitions = flow.DefinitionsOf(local.Local);
            return definitions.Count == 1 && IsIdentity(definitions[0], flow, symbols, depth + 1);
        }

        if (!symbols.TryGetCall(value, out var call))
        {
            return false;
        }

        if (call.Name == "eye")
        {
            return true;
        }

        return call.IsInstance && ValueRanges.IsRangePreserving(call.Name) && call.Name is not ("select" or "narrow" or "index" or "gather" or "roll" or "flip") &&
            IsIdentity(call.First!, flow, symbols, depth + 1);
    }

    /// <summary>Factors of a product built from *, mul, matmul, mm, bmm, outer and einsum, looking through locals.</summary>
    private static void CollectProductFactors(IOperation operation, List<IOperation> factors, ValueFlow flow, TorchSymbols symbols, int depth)
    {
        var value = TorchSymbols.Unwrap(operation)!;
        if (depth > 8)
        {
            factors.Add(value);
            return;
        }

        if (value is ILocalReferenceOperation local && flow.DefinitionsOf(local.Local) is { Count: 1 } definitions &&
            IsProduct(definitions[0], symbols))
        {
            CollectProductFactors(definitions[0], factors, flow, symbols, depth + 1);
            return;
        }

        if (symbols.IsTensorBinary(value, BinaryOperatorKind.Multiply, out var multiply))
        {
            CollectProductFactors(multiply.LeftOperand, factors, flow, symbols, depth + 1);
            CollectProductFactors(multiply.RightOperand, factors, flow, symbols, depth + 1);
            return;
        }

        if (symbols.TryGetCall(value, out var call) && call.Name is "mul" or "multiply" or "matmul" or "mm" or "bmm" or "outer" or "ger" or "einsum")
        {
            foreach (var operand in call.TensorOperands(symbols))
            {
                CollectProductFactors(operand, factors, flow, symbols, depth + 1);
            }

            return;
        }

        factors.Add(value);
    }

    private static bool IsProduct(IOperation operation, TorchSymbols symbols) =>
        symbols.IsTensorBinary(operation, BinaryOperatorKind.Multiply, out _) ||
        (symbols.TryGetCall(operation, out var call) && call.Name is "mul" or "multiply" or "matmul" or "mm" or "bmm" or "outer" or "ger" or "einsum");

    /// <summary>k kᵀ: the tensor two factors are views of.</summary>
    private static ISymbol? RepeatedBase(List<IOperation> factors, TorchSymbols symbols)
    {
        var seen = new HashSet<ISymbol>(SymbolEqualityComparer.Default);
        foreach (var factor in factors)
        {
            if (factor.BaseSymbol(symbols, out _) is { } symbol && !seen.Add(symbol))
            {
                return symbol;
            }
        }

        return null;
    }
}
