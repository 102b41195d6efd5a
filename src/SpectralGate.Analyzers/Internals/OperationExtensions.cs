using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace SpectralGate.Analyzers.Internals;

internal static class OperationExtensions
{
    public static bool IsInsideLoop(this IOperation operation)
    {
        for (var current = operation.Parent; current is not null; current = current.Parent)
        {
            if (current is ILoopOperation)
            {
                return true;
            }

            if (current is IAnonymousFunctionOperation or ILocalFunctionOperation)
            {
                return false;
            }
        }

        return false;
    }

    /// <summary>
    /// The positive terms of a sum of Tensors: <c>a * h + b + c</c> gives <c>a * h</c>, <c>b</c>, <c>c</c>; of a difference,
    /// <c>a * h - b</c>, the terms of its left side only (a subtracted <c>a * h</c> has transition <c>-a</c>, not <c>a</c>).
    /// </summary>
    public static IEnumerable<IOperation> AdditiveTerms(this IOperation operation, TorchSymbols symbols)
    {
        var value = TorchSymbols.Unwrap(operation)!;
        if (symbols.IsTensorBinary(value, BinaryOperatorKind.Subtract, out var subtract))
        {
            foreach (var term in subtract.LeftOperand.AdditiveTerms(symbols))
            {
                yield return term;
            }
        }
        else if (symbols.IsTensorBinary(value, BinaryOperatorKind.Add, out var add))
        {
            foreach (var term in add.LeftOperand.AdditiveTerms(symbols))
            {
                yield return term;
            }

            foreach (var term in add.RightOperand.AdditiveTerms(symbols))
            {
                yield return term;
            }
        }
        else if (symbols.TryGetCall(value, out var call) && call.Name is "add" && call.Operands.Length >= 2 && symbols.IsTensor(TorchSymbols.Unwrap(call.Operands[1])?.Type))
        {
            foreach (var term in call.Operands[0].AdditiveTerms(symbols))
            {
                yield return term;
            }

            foreach (var term in call.Operands[1].AdditiveTerms(symbols))
            {
                yield return term;
            }
        }
        else
        {
            yield return value;
        }
    }

    /// <summary>The factors of an elementwise product of Tensors.</summary>
    public static List<IOperation> ElementwiseFactors(this IOperation operation, TorchSymbols symbols)
    {
        var result = new List<IOperation>();
        Collect(TorchSymbols.Unwrap(operation)!);
        return result;

        void Collect(IOperation value)
        {
            if (symbols.IsTensorBinary(value, BinaryOperatorKind.Multiply, out var multiply))
            {
                Collect(TorchSymbols.Unwrap(multiply.LeftOperand)!);
                Collect(TorchSymbols.Unwrap(multiply.RightOperand)!);
            }
            else if (symbols.TryGetCall(value, out var call) && call.Name is "mul" or "multiply" && call.Operands.Length == 2)
            {
                Collect(TorchSymbols.Unwrap(call.Operands[0])!);
                Collect(TorchSymbols.Unwrap(call.Operands[1])!);
            }
            else
            {
                result.Add(value);
            }
        }
    }

    /// <summary>
    /// The local, parameter or field a tensor expression is a reshaped, re-indexed or transposed view of, and whether
    /// an odd number of transposes was seen on the way.
    /// </summary>
    public static ISymbol? BaseSymbol(this IOperation? operation, TorchSymbols symbols, out bool transposed)
    {
        transposed = false;
        var current = TorchSymbols.Unwrap(operation);
        for (var i = 0; i < 16 && current is not null; i++)
        {
            if (ValueFlow.SymbolOf(current) is { } symbol)
            {
                return symbol;
            }

            switch (current)
            {
                case IPropertyReferenceOperation { Property.IsIndexer: true } indexer:
                    current = TorchSymbols.Unwrap(indexer.Instance);
                    continue;
                case IPropertyReferenceOperation { Property.Name: "T" or "mT" or "mH" or "H" } property when symbols.IsTensor(property.Instance?.Type):
                    transposed = !transposed;
                    current = TorchSymbols.Unwrap(property.Instance);
                    continue;
            }

            if (symbols.TryGetCall(current, out var call) && call.IsInstance)
            {
                if (call.Name is "t" or "transpose" or "swapaxes" or "swapdims" or "mT" or "adjoint")
                {
                    transposed = !transposed;
                }
                else if (call.Name is "unsqueeze")
                {
                    // x.unsqueeze(-1) * x.unsqueeze(-2) is an outer product: the two sides differ in their last axis.
                    if (TorchSymbols.TryGetConstant(call.Operands.Length > 1 ? call.Operands[1] : null, out var dim) && dim == -2)
                    {
                        transposed = !transposed;
                    }
                }
                else if (!ValueRanges.IsRangePreserving(call.Name))
                {
                    return null;
                }

                current = TorchSymbols.Unwrap(call.First);
                continue;
            }

            if (current is IPropertyReferenceOperation { Property.Name: "weight" } weight && symbols.IsLinearType(weight.Instance?.Type))
            {
                return weight.Property;
            }

            return null;
        }

        return null;
    }
}
