using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace SpectralGate.Analyzers.Internals;

/// <summary>
/// Where the values of a method's locals come from: every initializer and every assignment, flow-insensitive.
/// A local with several different definitions is followed through all of them, and a caller that needs one origin
/// gives up (stays silent) when they disagree.
/// </summary>
internal sealed class ValueFlow
{
    private readonly Dictionary<ISymbol, List<IOperation>> _definitions = new(SymbolEqualityComparer.Default);
    private readonly Dictionary<ISymbol, List<IOperation>> _references = new(SymbolEqualityComparer.Default);

    public ValueFlow(IOperation root)
    {
        Root = root;
        foreach (var operation in root.DescendantsAndSelf())
        {
            switch (operation)
            {
                case IVariableDeclaratorOperation declarator:
                    var initializer = declarator.Initializer?.Value ?? (declarator.Parent as IVariableDeclarationOperation)?.Initializer?.Value;
                    if (initializer is not null)
                    {
                        Add(_definitions, declarator.Symbol, initializer);
                    }

                    break;
                case ISimpleAssignmentOperation assignment when SymbolOf(assignment.Target) is { } target:
                    Add(_definitions, target, assignment.Value);
                    break;
                case ICompoundAssignmentOperation compound when SymbolOf(compound.Target) is { } target:
                    Add(_definitions, target, compound);
                    break;
                case ILocalReferenceOperation local:
                    Add(_references, local.Local, local);
                    break;
                case IParameterReferenceOperation parameter:
                    Add(_references, parameter.Parameter, parameter);
                    break;
            }
        }
    }

    public IOperation Root { get; }

    /// <summary>The method body that contains <paramref name="operation"/>.</summary>
    public static IOperation GetRoot(IOperation operation)
    {
        var root = operation;
        while (root.Parent is not null)
        {
            root = root.Parent;
        }

        return root;
    }

    /// <summary>Locals, parameters and fields: the symbol whose value the operation reads.</summary>
    public static ISymbol? SymbolOf(IOperation? operation) => TorchSymbols.Unwrap(operation) switch
    {
        ILocalReferenceOperation local => local.Local,
        IParameterReferenceOperation parameter => parameter.Parameter,
        IFieldReferenceOperation field => field.Field,
        IPropertyReferenceOperation { Property.IsIndexer: false, Instance: null or IInstanceReferenceOperation } property => property.Property,
        _ => null,
    };

    public IReadOnlyList<IOperation> DefinitionsOf(ISymbol symbol) =>
        _definitions.TryGetValue(symbol, out var list) ? list : (IReadOnlyList<IOperation>)System.Array.Empty<IOperation>();

    /// <summary>
    /// The one definition of <paramref name="local"/> that reaches <paramref name="reference"/>: the only one, or the
    /// last of several that all run unconditionally in sequence before it (such as the dispose-scope idiom
    /// <c>using (var y = a) a = y.sigmoid();</c>). Null when branches or loops make it ambiguous.
    /// </summary>
    public IOperation? ReachingDefinition(ILocalSymbol local, IOperation reference)
    {
        var definitions = DefinitionsOf(local);
        if (definitions.Count <= 1)
        {
            return definitions.Count == 1 ? definitions[0] : null;
        }

        IOperation? last = null;
        foreach (var definition in definitions)
        {
            if (!IsUnconditionalIn(definition, local) || definition.Syntax.Span.End > reference.Syntax.SpanStart)
            {
                return null;
            }

            if (last is null || definition.Syntax.SpanStart > last.Syntax.SpanStart)
            {
                last = definition;
            }
        }

        return last;
    }

    /// <summary>True when nothing but statements, blocks and using scopes lie between the definition and the local's own block.</summary>
    private static bool IsUnconditionalIn(IOperation definition, ILocalSymbol local)
    {
        for (var current = definition.Parent; current is not null; current = current.Parent)
        {
            switch (current)
            {
                case IBlockOperation block when block.Locals.Contains(local, SymbolEqualityComparer.Default):
                    return true;
                case IBlockOperation or IUsingOperation or IExpressionStatementOperation or ISimpleAssignmentOperation or
                    IVariableInitializerOperation or IVariableDeclaratorOperation or IVariableDeclarationOperation or IVariableDeclarationGroupOperation:
                    continue;
                default:
                    return false;
            }
        }

        return false;
    }

    public IReadOnlyList<IOperation> ReferencesTo(ISymbol symbol) =>
        _references.TryGetValue(symbol, out var list) ? list : (IReadOnlyList<IOperation>)System.Array.Empty<IOperation>();

    /// <summary>
    /// Every operation that contributes to the value of <paramref name="operation"/>: its subtree, and through
    /// locals the subtrees of all their definitions in this method (the backward slice, flow-insensitive).
    /// </summary>
    public HashSet<IOperation> Slice(IOperation operation) => Slice(operation, null);

    /// <summary>
    /// The backward slice, not entering the nodes <paramref name="stopAt"/> accepts: such a node is in the slice,
    /// what it is computed from is not (a dynamic mixer's projection, whose input is the residual itself).
    /// </summary>
    public HashSet<IOperation> Slice(IOperation operation, System.Func<IOperation, bool>? stopAt)
    {
        var result = new HashSet<IOperation>();
        var visitedSymbols = new HashSet<ISymbol>(SymbolEqualityComparer.Default);
        var stack = new Stack<IOperation>();
        stack.Push(operation);
        while (stack.Count > 0)
        {
            var current = stack.Pop();
            foreach (var node in stopAt is null ? current.DescendantsAndSelf() : DescendantsUntil(current, stopAt))
            {
                if (!result.Add(node))
                {
                    continue;
                }

                if (node is ILocalReferenceOperation local && visitedSymbols.Add(local.Local))
                {
                    foreach (var definition in DefinitionsOf(local.Local))
                    {
                        stack.Push(definition);
                    }
                }
            }
        }

        return result;
    }

    private static IEnumerable<IOperation> DescendantsUntil(IOperation root, System.Func<IOperation, bool> stopAt)
    {
        var pending = new Stack<IOperation>();
        pending.Push(root);
        while (pending.Count > 0)
        {
            var node = pending.Pop();
            yield return node;
            if (stopAt(node))
            {
                continue;
            }

            foreach (var child in node.ChildOperations)
            {
                pending.Push(child);
            }
        }
    }

    private static void Add(Dictionary<ISymbol, List<IOperation>> map, ISymbol symbol, IOperation operation)
    {
        if (!map.TryGetValue(symbol, out var list))
        {
            list = new List<IOperation>();
            map.Add(symbol, list);
        }

        list.Add(operation);
    }
}
