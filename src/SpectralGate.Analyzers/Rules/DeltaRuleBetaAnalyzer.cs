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
        messageFormat: "Delta-rule step size '{0}' is in (0, 1), so I - beta k kᵀ never has a negative eigenvalue; scale it to (0, 2)",
        RuleCategories.Spectral,
        DiagnosticSeverity.Warning,
        description: "In a DeltaNet-style transition I - beta k kᵀ with unit-norm k, the eigenvalue along k is 1 - beta. With beta from sigmoid it stays in (0, 1) and the linear RNN cannot track state such as parity (Grazzi et al., Unlocking State-Tracking in Linear RNNs Through Negative Eigenvalues). Scale beta to (0, 2).");

    public DeltaRuleBetaAnalyzer() : base(Rule, OperationKind.Binary) { }

    internal override void AnalyzeCandidate(RuleContext context)
    {
        var symbols = context.Symbols;
        if (!symbols.IsTensorBinary(context.Operation, BinaryOperatorKind.Subtract, out var subtract))
        {
            return;
        }

        // Cheap shape test first: the right side must be a product.
        if (!IsProduct(subtract.RightOperand, symbols) && TorchSymbols.Unwrap(subtract.RightOperand) is not ILocalReferenceOperation)
        {
            return;
        }

        var flow = context.Flow;
        var factors = new List<IOperation>();
        CollectProductFactors(subtract.RightOperand, factors, flow, symbols, 0);
        List<IOperation> others;
        if (IsIdentity(subtract.LeftOperand, flow, symbols, 0))
        {
            // I - beta k kᵀ: everything but k and kᵀ is the step size.
            if (RepeatedBase(factors, symbols) is not { } vector)
            {
                return;
            }

            others = factors.Where(f => !SymbolEqualityComparer.Default.Equals(f.BaseSymbol(symbols, out _), vector)).ToList();
        }
        else if (StateUpdateFactors(subtract.LeftOperand, factors, symbols) is { } rest)
        {
            // S - beta (S k - v) kᵀ = S (I - beta k kᵀ) + beta v kᵀ.
            others = rest;
        }
        else
        {
            return;
        }

        // Only a lone factor is judged, so 2 * sigmoid(x) stays silent.
        if (others.Count != 1)
        {
            return;
        }

        var range = new ValueRanges(symbols, flow).Classify(others[0]);
        if (range.Range == ValueRange.UnitInterval && range.Origin is IInvocationOperation origin)
        {
            context.ReportOnce(origin, Diagnostic.Create(Rule, origin.Syntax.GetLocation(), origin.ShortText()));
        }
    }

    /// <summary>
    /// The factors of <c>beta * outer(S.matmul(k) - v, k)</c> other than the error term and k, when the left side of
    /// the subtraction is the state S; null when the product is not that delta-rule update.
    /// </summary>
    private static List<IOperation>? StateUpdateFactors(IOperation left, List<IOperation> factors, TorchSymbols symbols)
    {
        if (left.BaseSymbol(symbols, out var leftTransposed) is not { } state || leftTransposed)
        {
            return null;
        }

        for (var e = 0; e < factors.Count; e++)
        {
            var error = TorchSymbols.Unwrap(factors[e])!;
            var product = symbols.IsTensorBinary(error, BinaryOperatorKind.Subtract, out var minus) ? minus.LeftOperand : error;
            if (!symbols.TryGetCall(product, out var matmul) || matmul.Name is not ("matmul" or "mv" or "mm" or "bmm") || matmul.Operands.Length != 2 ||
                !SymbolEqualityComparer.Default.Equals(matmul.Operands[0].BaseSymbol(symbols, out _), state) ||
                matmul.Operands[1].BaseSymbol(symbols, out _) is not { } key)
            {
                continue;
            }

            var keyIndex = factors.FindIndex(f => f != factors[e] && SymbolEqualityComparer.Default.Equals(f.BaseSymbol(symbols, out _), key));
            if (keyIndex >= 0)
            {
                return factors.Where((_, i) => i != e && i != keyIndex).ToList();
            }
        }

        return null;
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
