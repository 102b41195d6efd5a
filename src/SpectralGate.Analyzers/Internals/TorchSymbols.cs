using System.Collections.Generic;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace SpectralGate.Analyzers.Internals;

/// <summary>
/// TorchSharp's symbols, resolved once per compilation. Every rule asks this context whether an operation is a
/// given TorchSharp op, so that <c>torch.sigmoid(x)</c>, <c>sigmoid(x)</c> under <c>using static</c>, an alias,
/// <c>nn.functional.sigmoid(x)</c> and <c>x.sigmoid()</c> are one and the same thing.
/// </summary>
internal sealed class TorchSymbols
{
    private readonly HashSet<INamedTypeSymbol> _opContainers = new(SymbolEqualityComparer.Default);

    private TorchSymbols(Compilation compilation)
    {
        Torch = compilation.GetTypeByMetadataName("TorchSharp.torch");
        Tensor = compilation.GetTypeByMetadataName("TorchSharp.torch+Tensor");
        Parameter = compilation.GetTypeByMetadataName("TorchSharp.Modules.Parameter");
        Linear = compilation.GetTypeByMetadataName("TorchSharp.Modules.Linear");
        Module = compilation.GetTypeByMetadataName("TorchSharp.torch+nn+Module");
        ParameterList = compilation.GetTypeByMetadataName("TorchSharp.Modules.ParameterList");
        foreach (var name in new[]
                 {
                     "TorchSharp.torch", "TorchSharp.torch+Tensor", "TorchSharp.torch+nn", "TorchSharp.torch+nn+functional",
                     "TorchSharp.torch+linalg", "TorchSharp.torch+special", "TorchSharp.TensorExtensionMethods",
                 })
        {
            if (compilation.GetTypeByMetadataName(name) is { } type)
            {
                _opContainers.Add(type);
            }
        }
    }

    public INamedTypeSymbol? Torch { get; }

    public INamedTypeSymbol? Tensor { get; }

    public INamedTypeSymbol? Parameter { get; }

    public INamedTypeSymbol? Linear { get; }

    public INamedTypeSymbol? Module { get; }

    public INamedTypeSymbol? ParameterList { get; }

    public bool IsParameterListType(ITypeSymbol? type) =>
        type is not null && ParameterList is not null && SymbolEqualityComparer.Default.Equals(type, ParameterList);

    private bool IsValid => Torch is not null && Tensor is not null;

    /// <summary>Null when TorchSharp is not referenced: the rules then register nothing.</summary>
    public static TorchSymbols? Create(Compilation compilation)
    {
        var symbols = new TorchSymbols(compilation);
        return symbols.IsValid ? symbols : null;
    }

    public bool IsTensor(ITypeSymbol? type)
    {
        for (var t = type; t is not null; t = t.BaseType)
        {
            if (SymbolEqualityComparer.Default.Equals(t, Tensor))
            {
                return true;
            }
        }

        return false;
    }

    public bool IsParameterType(ITypeSymbol? type) =>
        type is not null && Parameter is not null && SymbolEqualityComparer.Default.Equals(type, Parameter);

    public bool IsLinearType(ITypeSymbol? type) =>
        type is not null && Linear is not null && SymbolEqualityComparer.Default.Equals(type, Linear);

    public bool IsModuleType(ITypeSymbol? type)
    {
        for (var t = type; t is not null; t = t.BaseType)
        {
            if (SymbolEqualityComparer.Default.Equals(t.OriginalDefinition, Module))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>A call to a TorchSharp op, whichever spelling was used.</summary>
    public bool TryGetCall(IOperation? operation, out TorchCall call)
    {
        call = default;
        if (Unwrap(operation) is not IInvocationOperation invocation)
        {
            return false;
        }

        var method = invocation.TargetMethod.ReducedFrom ?? invocation.TargetMethod;
        if (method.ContainingType is null || !_opContainers.Contains(method.ContainingType.OriginalDefinition))
        {
            return false;
        }

        var operands = ImmutableArray.CreateBuilder<IOperation>();
        if (!method.IsStatic && invocation.Instance is not null)
        {
            operands.Add(invocation.Instance);
        }

        foreach (var argument in invocation.Arguments)
        {
            operands.Add(argument.Value);
        }

        call = new TorchCall(invocation, method, operands.ToImmutable(), !method.IsStatic);
        return true;
    }

    public bool IsCall(IOperation? operation, string name, out TorchCall call) =>
        TryGetCall(operation, out call) && call.Name == name;

    /// <summary>A user-defined Tensor operator (<c>*</c>, <c>+</c>, <c>-</c>, <c>/</c>).</summary>
    public bool IsTensorBinary(IOperation? operation, BinaryOperatorKind kind, out IBinaryOperation binary)
    {
        binary = null!;
        if (Unwrap(operation) is IBinaryOperation b && b.OperatorKind == kind && b.OperatorMethod is { } m &&
            SymbolEqualityComparer.Default.Equals(m.ContainingType, Tensor))
        {
            binary = b;
            return true;
        }

        return false;
    }

    public static IOperation? Unwrap(IOperation? operation)
    {
        while (true)
        {
            switch (operation)
            {
                case IConversionOperation { OperatorMethod: null } conversion:
                    operation = conversion.Operand;
                    break;
                case IParenthesizedOperation parenthesized:
                    operation = parenthesized.Operand;
                    break;
                case IArgumentOperation argument:
                    operation = argument.Value;
                    break;
                default:
                    return operation;
            }
        }
    }

    public static bool TryGetConstant(IOperation? operation, out double value)
    {
        value = 0;
        operation = Unwrap(operation);
        if (operation is IConversionOperation { Operand: var inner })
        {
            operation = Unwrap(inner);
        }

        if (operation is IUnaryOperation { OperatorKind: UnaryOperatorKind.Minus, OperatorMethod: null } minus &&
            TryGetConstant(minus.Operand, out var negated))
        {
            value = -negated;
            return true;
        }

        if (operation is null || !operation.ConstantValue.HasValue || operation.ConstantValue.Value is null or string or bool or char)
        {
            return false;
        }

        value = System.Convert.ToDouble(operation.ConstantValue.Value, System.Globalization.CultureInfo.InvariantCulture);
        return true;
    }
}

internal readonly struct TorchCall
{
    public TorchCall(IInvocationOperation invocation, IMethodSymbol method, ImmutableArray<IOperation> operands, bool isInstance)
    {
        Invocation = invocation;
        Method = method;
        Operands = operands;
        IsInstance = isInstance;
    }

    public IInvocationOperation Invocation { get; }

    public IMethodSymbol Method { get; }

    public string Name => Method.Name;

    /// <summary>The receiver of an instance call first, then the arguments in parameter order.</summary>
    public ImmutableArray<IOperation> Operands { get; }

    public bool IsInstance { get; }

    public IOperation? First => Operands.Length > 0 ? Operands[0] : null;

    public string ContainerName => Method.ContainingType.Name;

    /// <summary>Tensor operands, with a <c>params Tensor[]</c> array expanded (einsum).</summary>
    public IEnumerable<IOperation> TensorOperands(TorchSymbols symbols)
    {
        foreach (var operand in Operands)
        {
            var value = TorchSymbols.Unwrap(operand);
            if (value is IArrayCreationOperation { Initializer: { } initializer })
            {
                foreach (var element in initializer.ElementValues)
                {
                    if (symbols.IsTensor(TorchSymbols.Unwrap(element)?.Type ?? element.Type))
                    {
                        yield return element;
                    }
                }
            }
            else if (value is not null && symbols.IsTensor(value.Type))
            {
                yield return value;
            }
        }
    }

    /// <summary>The value passed for the parameter named <paramref name="name"/>, when given explicitly.</summary>
    public IOperation? Argument(string name)
    {
        foreach (var argument in Invocation.Arguments)
        {
            if (argument.Parameter?.Name == name && argument.ArgumentKind != ArgumentKind.DefaultValue)
            {
                return argument.Value;
            }
        }

        return null;
    }
}
