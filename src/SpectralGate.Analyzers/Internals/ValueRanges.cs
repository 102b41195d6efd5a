using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace SpectralGate.Analyzers.Internals;

/// <summary>What is known about every element of a tensor: nothing, &gt; 0, &lt; 0, or in the open interval (0, 1).</summary>
internal enum ValueRange
{
    Unknown,
    Positive,
    Negative,
    UnitInterval,
}

internal readonly struct RangeResult
{
    public RangeResult(ValueRange range, IOperation? origin)
    {
        Range = range;
        Origin = origin;
    }

    public ValueRange Range { get; }

    /// <summary>The expression that fixes the range (the <c>sigmoid(...)</c> call, the <c>exp(...)</c> call), seen through locals and reshapes.</summary>
    public IOperation? Origin { get; }

    public static RangeResult Unknown => new(ValueRange.Unknown, null);
}

/// <summary>Element-range inference over TorchSharp expressions, through locals of one method.</summary>
internal sealed class ValueRanges
{
    private static readonly HashSet<string> s_rangePreserving = new()
    {
        "unsqueeze", "unsqueeze_", "squeeze", "squeeze_", "view", "view_as", "reshape", "reshape_as", "expand", "expand_as",
        "broadcast_to", "to", "type", "to_type", "float", "double", "half", "bfloat16", "cpu", "cuda", "contiguous", "detach",
        "detach_", "clone", "select", "narrow", "index", "index_select", "flatten", "unflatten", "repeat", "movedim", "moveaxis",
        "permute", "transpose", "t", "swapaxes", "swapdims", "alias", "requires_grad_", "gather", "chunk", "split", "roll", "flip",
    };

    private readonly TorchSymbols _symbols;
    private readonly ValueFlow _flow;

    // Inside a followed callee: the call whose arguments bind its parameters, classified in the caller's frame.
    private readonly ValueRanges? _caller;
    private readonly IOperation? _call;
    private readonly int _callDepth;

    public ValueRanges(TorchSymbols symbols, ValueFlow flow)
        : this(symbols, flow, null, null, 0)
    {
    }

    private ValueRanges(TorchSymbols symbols, ValueFlow flow, ValueRanges? caller, IOperation? call, int callDepth)
    {
        _symbols = symbols;
        _flow = flow;
        _caller = caller;
        _call = call;
        _callDepth = callDepth;
    }

    public static bool IsRangePreserving(string name) => s_rangePreserving.Contains(name);

    public RangeResult Classify(IOperation? operation) => Classify(operation, new HashSet<ISymbol>(SymbolEqualityComparer.Default), 0);

    private RangeResult Classify(IOperation? operation, HashSet<ISymbol> visiting, int depth)
    {
        operation = TorchSymbols.Unwrap(operation);
        if (operation is null || depth > 24)
        {
            return RangeResult.Unknown;
        }

        if (TorchSymbols.TryGetConstant(operation, out var constant))
        {
            var range = constant switch
            {
                > 0 and < 1 => ValueRange.UnitInterval,
                > 0 => ValueRange.Positive,
                < 0 => ValueRange.Negative,
                _ => ValueRange.Unknown,
            };
            return new RangeResult(range, operation);
        }

        switch (operation)
        {
            case ILocalReferenceOperation local:
                return ClassifyLocal(local, visiting, depth);
            case IParameterReferenceOperation parameter:
                return ClassifyParameter(parameter, visiting, depth);
            case IInvocationOperation invocation when !_symbols.TryGetCall(invocation, out _):
                return ClassifyCallee(invocation);
            case IPropertyReferenceOperation { Property.IsIndexer: true } indexer when _symbols.IsTensor(indexer.Instance?.Type):
                return Classify(indexer.Instance, visiting, depth + 1);
            case IPropertyReferenceOperation { Property.Name: "T" or "mT" or "mH" or "H" } transposed when _symbols.IsTensor(transposed.Instance?.Type):
                return Classify(transposed.Instance, visiting, depth + 1);
            case IUnaryOperation { OperatorKind: UnaryOperatorKind.Minus } minus when minus.OperatorMethod is not null:
                return new RangeResult(Negate(Classify(minus.Operand, visiting, depth + 1).Range), operation);
            case IBinaryOperation binary when binary.OperatorMethod is not null && _symbols.IsTensor(binary.Type):
                return ClassifyBinary(binary, visiting, depth);
        }

        if (!_symbols.TryGetCall(operation, out var call))
        {
            return RangeResult.Unknown;
        }

        var first = call.First;
        switch (call.Name)
        {
            case "sigmoid" or "sigmoid_" or "expit":
                return new RangeResult(ValueRange.UnitInterval, operation);
            case "softplus":
                return new RangeResult(ValueRange.Positive, operation);
            case "logsigmoid":
                return new RangeResult(ValueRange.Negative, operation);
            case "exp" or "exp_":
            {
                var inner = Classify(first, visiting, depth + 1).Range;
                return new RangeResult(inner == ValueRange.Negative ? ValueRange.UnitInterval : ValueRange.Positive, operation);
            }

            case "neg" or "negative" or "neg_" or "negative_":
                return new RangeResult(Negate(Classify(first, visiting, depth + 1).Range), operation);
            case "cumprod" or "prod":
                return Classify(first, visiting, depth + 1).Range == ValueRange.UnitInterval
                    ? new RangeResult(ValueRange.UnitInterval, operation)
                    : RangeResult.Unknown;
            case "mul" or "multiply" when call.Operands.Length >= 2:
                return new RangeResult(Multiply(Classify(call.Operands[0], visiting, depth + 1).Range, Classify(call.Operands[1], visiting, depth + 1).Range), operation);
        }

        if (IsRangePreserving(call.Name) && call.IsInstance)
        {
            return Classify(first, visiting, depth + 1);
        }

        return RangeResult.Unknown;
    }

    private RangeResult ClassifyLocal(ILocalReferenceOperation reference, HashSet<ISymbol> visiting, int depth)
    {
        var local = reference.Local;
        if (!visiting.Add(local))
        {
            return RangeResult.Unknown;
        }

        try
        {
            return _flow.ReachingDefinition(local, reference) is { } definition ? Classify(definition, visiting, depth + 1) : RangeResult.Unknown;
        }
        finally
        {
            visiting.Remove(local);
        }
    }

    /// <summary>A parameter of a followed callee takes its argument's range; one of a local function, the range all its calls agree on.</summary>
    private RangeResult ClassifyParameter(IParameterReferenceOperation reference, HashSet<ISymbol> visiting, int depth)
    {
        if (_caller is not null && _call is not null && Callees.ArgumentFor(_call, reference.Parameter) is { } argument)
        {
            return _caller.Classify(argument);
        }

        if (reference.Parameter.ContainingSymbol is not IMethodSymbol { MethodKind: MethodKind.LocalFunction } function || !visiting.Add(reference.Parameter))
        {
            return RangeResult.Unknown;
        }

        try
        {
            RangeResult? agreed = null;
            foreach (var call in Callees.CallsOf(function, reference))
            {
                var result = Callees.ArgumentFor(call, reference.Parameter) is { } value ? Classify(value, visiting, depth + 1) : RangeResult.Unknown;
                if (result.Range == ValueRange.Unknown || (agreed is { } a && a.Range != result.Range))
                {
                    return RangeResult.Unknown;
                }

                agreed ??= result;
            }

            return agreed ?? RangeResult.Unknown;
        }
        finally
        {
            visiting.Remove(reference.Parameter);
        }
    }

    /// <summary>A helper's value is the range all its returns agree on; the call site is the origin.</summary>
    private RangeResult ClassifyCallee(IInvocationOperation invocation)
    {
        if (_callDepth >= Callees.MaxDepth || Callees.BodyOf(invocation) is not { } body)
        {
            return RangeResult.Unknown;
        }

        var callee = new ValueRanges(_symbols, new ValueFlow(body), this, invocation, _callDepth + 1);
        ValueRange? agreed = null;
        foreach (var value in Callees.ReturnedValues(body))
        {
            var range = callee.Classify(value).Range;
            if (range == ValueRange.Unknown || (agreed is { } a && a != range))
            {
                return RangeResult.Unknown;
            }

            agreed = range;
        }

        return agreed is { } r ? new RangeResult(r, invocation) : RangeResult.Unknown;
    }

    private RangeResult ClassifyBinary(IBinaryOperation binary, HashSet<ISymbol> visiting, int depth)
    {
        var left = Classify(binary.LeftOperand, visiting, depth + 1).Range;
        var right = Classify(binary.RightOperand, visiting, depth + 1).Range;
        var range = binary.OperatorKind switch
        {
            BinaryOperatorKind.Multiply => Multiply(left, right),
            BinaryOperatorKind.Divide when left == ValueRange.UnitInterval && right == ValueRange.Positive &&
                TorchSymbols.TryGetConstant(binary.RightOperand, out var d) && d >= 1 => ValueRange.UnitInterval,
            BinaryOperatorKind.Divide => Sign(left, right),
            BinaryOperatorKind.Add when left == right && left != ValueRange.UnitInterval => left,
            BinaryOperatorKind.Add when IsPositive(left) && IsPositive(right) => ValueRange.Positive,
            BinaryOperatorKind.Subtract when right == ValueRange.UnitInterval &&
                TorchSymbols.TryGetConstant(binary.LeftOperand, out var one) && one == 1 => ValueRange.UnitInterval,
            BinaryOperatorKind.Subtract when left == ValueRange.Negative && IsPositive(right) => ValueRange.Negative,
            BinaryOperatorKind.Subtract when IsPositive(left) && right == ValueRange.Negative => ValueRange.Positive,
            _ => ValueRange.Unknown,
        };
        return new RangeResult(range, binary);
    }

    private static bool IsPositive(ValueRange range) => range is ValueRange.Positive or ValueRange.UnitInterval;

    private static ValueRange Negate(ValueRange range) => range switch
    {
        ValueRange.Positive or ValueRange.UnitInterval => ValueRange.Negative,
        ValueRange.Negative => ValueRange.Positive,
        _ => ValueRange.Unknown,
    };

    private static ValueRange Multiply(ValueRange left, ValueRange right) =>
        left == ValueRange.UnitInterval && right == ValueRange.UnitInterval ? ValueRange.UnitInterval : Sign(left, right);

    private static ValueRange Sign(ValueRange left, ValueRange right)
    {
        if (left == ValueRange.Unknown || right == ValueRange.Unknown)
        {
            return ValueRange.Unknown;
        }

        return IsPositive(left) == IsPositive(right) ? ValueRange.Positive : ValueRange.Negative;
    }
}
