using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace SpectralGate.Analyzers.Internals;

/// <summary>
/// The bodies the rules may look into: local functions of the method, lambdas stored in fields, and non-virtual
/// methods declared in the same file. Anything else (another file, metadata, a virtual method) stays opaque, so the
/// rules keep their silence on what they cannot see.
/// </summary>
internal static class Callees
{
    /// <summary>How many calls deep a value is followed; deeper helpers count as opaque.</summary>
    public const int MaxDepth = 3;

    /// <summary>The body whose returned values are the value of <paramref name="call"/>, or null when it is opaque.</summary>
    public static IOperation? BodyOf(IOperation call)
    {
        switch (TorchSymbols.Unwrap(call))
        {
            case IInvocationOperation { TargetMethod.MethodKind: MethodKind.LocalFunction } local:
                return LocalFunctionBody(local, local.TargetMethod);
            case IInvocationOperation { TargetMethod.Name: "Invoke", Instance: IFieldReferenceOperation field } invocation
                when invocation.TargetMethod.ContainingType?.TypeKind == TypeKind.Delegate:
                return LambdaFieldBody(field.Field, invocation);
            case IInvocationOperation invocation when IsFollowable(invocation.TargetMethod, invocation.Syntax.SyntaxTree):
                return MethodBody(invocation.TargetMethod, invocation);

            // A computed property of the same file (Tensor Kernel => W.matmul(W);) is a helper without arguments.
            case IPropertyReferenceOperation { Property: { IsIndexer: false, IsVirtual: false, IsAbstract: false, IsOverride: false, GetMethod: { } getter } } property
                when IsFollowable(getter, property.Syntax.SyntaxTree, MethodKind.PropertyGet):
                return MethodBody(getter, property);
            default:
                return null;
        }
    }

    /// <summary>
    /// The <c>forward</c> a module call runs (<c>mixer.call(x)</c> or <c>mixer.forward(x)</c> on a field or local), with
    /// the parameter its one argument binds to, when the module's declared type is a non-abstract class that overrides
    /// <c>forward</c> in the same file; null otherwise (a type of another file or of a package stays opaque).
    /// </summary>
    public static (IOperation Body, IParameterSymbol Input)? ModuleForwardOf(IOperation call, TorchSymbols symbols)
    {
        if (TorchSymbols.Unwrap(call) is not IInvocationOperation { TargetMethod.Name: "call" or "forward", Instance: { } instance } invocation ||
            invocation.Arguments.Length != 1 ||
            TorchSymbols.Unwrap(instance)?.Type is not INamedTypeSymbol { TypeKind: TypeKind.Class, IsAbstract: false } type || !symbols.IsModuleType(type))
        {
            return null;
        }

        var forward = type.GetMembers("forward").OfType<IMethodSymbol>()
            .FirstOrDefault(m => m.IsOverride && !m.IsAbstract && m.Parameters.Length == 1 && m.DeclaringSyntaxReferences.Length == 1);
        if (forward is null || forward.DeclaringSyntaxReferences[0].SyntaxTree != invocation.Syntax.SyntaxTree ||
            MethodBody(forward, invocation) is not { } body)
        {
            return null;
        }

        return (body, forward.Parameters[0]);
    }

    /// <summary>The values a body returns (its expression body counts as one return).</summary>
    public static IEnumerable<IOperation> ReturnedValues(IOperation body)
    {
        if (body is IAnonymousFunctionOperation lambda)
        {
            body = lambda.Body;
        }

        return Descend(body).OfType<IReturnOperation>().Select(r => r.ReturnedValue).Where(v => v is not null)!;
    }

    /// <summary>The call's argument bound to <paramref name="parameter"/>.</summary>
    public static IOperation? ArgumentFor(IOperation call, IParameterSymbol parameter) =>
        TorchSymbols.Unwrap(call) is IInvocationOperation invocation
            ? invocation.Arguments.FirstOrDefault(a => SymbolEqualityComparer.Default.Equals(a.Parameter?.OriginalDefinition, parameter.OriginalDefinition) ||
                (a.Parameter?.Ordinal == parameter.Ordinal && a.Parameter?.ContainingSymbol is IMethodSymbol { MethodKind: MethodKind.DelegateInvoke }))?.Value
            : null;

    /// <summary>Every call of the local function <paramref name="function"/> in the method that holds <paramref name="from"/>.</summary>
    public static IEnumerable<IInvocationOperation> CallsOf(IMethodSymbol function, IOperation from) =>
        ValueFlow.GetRoot(from).Descendants().OfType<IInvocationOperation>()
            .Where(i => SymbolEqualityComparer.Default.Equals(i.TargetMethod.OriginalDefinition, function.OriginalDefinition));

    private static bool IsFollowable(IMethodSymbol method, SyntaxTree tree, MethodKind kind = MethodKind.Ordinary) =>
        method.MethodKind == kind && !method.IsVirtual && !method.IsAbstract && !method.IsOverride && !method.IsExtern &&
        method.DeclaringSyntaxReferences.Length == 1 && method.DeclaringSyntaxReferences[0].SyntaxTree == tree;

    private static IOperation? LocalFunctionBody(IOperation from, IMethodSymbol function) =>
        ValueFlow.GetRoot(from).Descendants().OfType<ILocalFunctionOperation>()
            .FirstOrDefault(f => SymbolEqualityComparer.Default.Equals(f.Symbol, function.OriginalDefinition));

    private static IOperation? MethodBody(IMethodSymbol method, IOperation from)
    {
        var syntax = method.DeclaringSyntaxReferences[0].GetSyntax();
        return from.SemanticModel?.GetOperation(syntax);
    }

    private static IOperation? LambdaFieldBody(IFieldSymbol field, IOperation from)
    {
        if (field.DeclaringSyntaxReferences.Length != 1 || field.DeclaringSyntaxReferences[0].SyntaxTree != from.Syntax.SyntaxTree ||
            from.SemanticModel is not { } model)
        {
            return null;
        }

        // A readonly field's lambda is its initializer; a mutable one may be replaced anywhere.
        if (!field.IsReadOnly)
        {
            return null;
        }

        foreach (var node in field.DeclaringSyntaxReferences[0].GetSyntax().ChildNodes())
        {
            if (model.GetOperation(node) is IFieldInitializerOperation initializer &&
                TorchSymbols.Unwrap(initializer.Value) is IDelegateCreationOperation { Target: IAnonymousFunctionOperation lambda })
            {
                return lambda;
            }
        }

        return null;
    }

    /// <summary>Descendants without entering nested lambdas or local functions, whose returns are their own.</summary>
    private static IEnumerable<IOperation> Descend(IOperation root)
    {
        var stack = new Stack<IOperation>();
        stack.Push(root);
        while (stack.Count > 0)
        {
            var current = stack.Pop();
            yield return current;
            foreach (var child in current.ChildOperations)
            {
                if (child is not (IAnonymousFunctionOperation or ILocalFunctionOperation))
                {
                    stack.Push(child);
                }
            }
        }
    }
}
