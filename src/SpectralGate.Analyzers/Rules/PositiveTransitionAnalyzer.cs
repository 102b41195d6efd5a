using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using SpectralGate.Analyzers.Internals;

namespace SpectralGate.Analyzers.Rules;

/// <summary>
/// SG0002: the decay of an input-gated linear recurrence <c>h = a * h + b</c> comes from sigmoid / exp(-softplus) /
/// exp(-exp) / exp(dt * A) with A &lt; 0, so every eigenvalue of the transition is in (0, 1). Grazzi et al. (ICLR 2025,
/// arXiv:2411.12537) prove such linear RNNs cannot solve parity in finite precision.
/// </summary>
/// <remarks>
/// Out of scope: transitions that read the state (GRU, LSTM: nonlinear RNNs), schedules built from constants only,
/// and cumulative products of <c>1 - p</c> (stick-breaking, survival, noise schedules).
/// </remarks>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class PositiveTransitionAnalyzer : TorchAnalyzer
{
    internal static readonly DiagnosticDescriptor Rule = RuleDescriptors.Create(
        RuleIdentifiers.PositiveOnlyTransition,
        title: "State-transition eigenvalues are positive only",
        messageFormat: "'{0}' keeps every eigenvalue of this {1} in (0, 1), so it cannot track parity; map it to (-1, 1)",
        RuleCategories.Spectral,
        DiagnosticSeverity.Info,
        description: "An input-gated linear recurrence whose decay comes from sigmoid, exp(-softplus(.)), exp(-exp(.)) or exp(dt * A) with A < 0 has all transition eigenvalues in (0, 1); such linear RNNs provably cannot solve parity in finite precision (Grazzi et al., ICLR 2025). A suggestion: many good models keep (0, 1) by design.");

    public PositiveTransitionAnalyzer() : base(Rule, OperationKind.SimpleAssignment, OperationKind.CompoundAssignment, OperationKind.Invocation) { }

    internal override void AnalyzeCandidate(RuleContext context)
    {
        var symbols = context.Symbols;
        switch (context.Operation)
        {
            case ISimpleAssignmentOperation assignment when symbols.IsTensor(assignment.Target.Type) && assignment.IsInsideLoop():
            {
                if (ValueFlow.SymbolOf(assignment.Target) is not { } state)
                {
                    return;
                }

                foreach (var term in assignment.Value.AdditiveTerms(symbols))
                {
                    var factors = term.ElementwiseFactors(symbols);
                    if (factors.Count == 2 && IndexOfState(factors, state, symbols, context.Flow) is var stateIndex and >= 0)
                    {
                        Check(context, factors[1 - stateIndex], scan: false);
                    }
                }

                return;
            }

            case ICompoundAssignmentOperation { OperatorKind: BinaryOperatorKind.Multiply } compound
                when symbols.IsTensor(compound.Target.Type) && compound.IsInsideLoop():
                Check(context, compound.Value, scan: false);
                return;
            case IInvocationOperation { TargetMethod.Name: "mul_" or "cumprod" } invocation when symbols.TryGetCall(invocation, out var call):
                if (call.Name == "mul_" && call.IsInstance && call.Operands.Length == 2 && invocation.IsInsideLoop() &&
                    ValueFlow.SymbolOf(call.Operands[0]) is not null)
                {
                    Check(context, call.Operands[1], scan: false);
                }
                else if (call.Name == "cumprod" && call.First is { } first)
                {
                    // The parallel (scan) form of the same recurrence: prod_{s <= t} a_s.
                    Check(context, first, scan: true);
                }

                return;
        }
    }

    private static void Check(RuleContext context, IOperation decay, bool scan)
    {
        var symbols = context.Symbols;
        var flow = context.Flow;
        var result = new ValueRanges(symbols, flow).Classify(decay);
        if (result.Range != ValueRange.UnitInterval || result.Origin is not { } origin || !IsComputed(origin, symbols))
        {
            return;
        }

        var complement = IsOneMinus(origin);
        var slice = flow.Slice(decay);
        if ((scan && complement) || !IsDataDependent(slice, symbols) || (!scan && ReadsLoopState(decay, slice, symbols)))
        {
            return;
        }

        var properties = ImmutableDictionary<string, string?>.Empty;
        var additional = new List<Location>();
        var name = origin.ShortText();
        if (BaseOfViews(decay, symbols) is var use && use == origin)
        {
            properties = properties.Add(FixProperties.Key, complement ? null : FixProperties.Inline);
        }
        else if (use is ILocalReferenceOperation local)
        {
            name = local.Local.Name;
            if (!complement && flow.ReachingDefinition(local.Local, local) is { } definition && BaseOfViews(definition, symbols) == origin)
            {
                var reads = flow.ReferencesTo(local.Local).Count(r => r.Parent is not ISimpleAssignmentOperation a || a.Target != r);
                if (reads == 1)
                {
                    properties = properties.Add(FixProperties.Key, FixProperties.Inline);
                }
                else if (DeclarationStatement(definition) is { } statement)
                {
                    // Every recurrence the decay drives is rewritten by the one fix (ReportOnce keeps a single diagnostic).
                    properties = properties.Add(FixProperties.Key, FixProperties.NewLocal);
                    additional.Add(statement.Syntax.GetLocation());
                    additional.AddRange(TransitionUses(local.Local, flow, symbols).DefaultIfEmpty(local).Select(u => u.Syntax.GetLocation()));
                }
            }
        }

        var construct = scan ? "cumprod scan" : "linear recurrence";
        context.ReportOnce(origin, Diagnostic.Create(Rule, origin.Syntax.GetLocation(), additional, properties.RemoveRange(properties.Where(p => p.Value is null).Select(p => p.Key)), name, construct));
    }

    /// <summary>The reads of the decay local that multiply a state in a recurrence of a loop, in source order.</summary>
    private static IEnumerable<IOperation> TransitionUses(ILocalSymbol decay, ValueFlow flow, TorchSymbols symbols)
    {
        foreach (var reference in flow.ReferencesTo(decay).OrderBy(r => r.Syntax.SpanStart))
        {
            var assignment = reference.Parent;
            while (assignment is not null and not ISimpleAssignmentOperation)
            {
                assignment = assignment.Parent;
            }

            if (assignment is ISimpleAssignmentOperation { Value: var value } recurrence && recurrence.IsInsideLoop() &&
                ValueFlow.SymbolOf(recurrence.Target) is { } state &&
                value.AdditiveTerms(symbols).Any(term => term.ElementwiseFactors(symbols) is { Count: 2 } factors &&
                    IndexOfState(factors, state, symbols, flow) is var index and >= 0 && BaseOfViews(factors[1 - index], symbols) == reference))
            {
                yield return reference;
            }
        }
    }

    private static int IndexOfState(List<IOperation> factors, ISymbol state, TorchSymbols symbols, ValueFlow flow)
    {
        for (var i = 0; i < factors.Count; i++)
        {
            var read = factors[i].BaseSymbol(symbols, out _);
            if (SymbolEqualityComparer.Default.Equals(read, state) || IsAliasOf(read, state, flow))
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>
    /// A local whose one definition is the state itself: the dispose-scope style <c>using (Tensor prev = h) h = a * prev + b;</c>
    /// (or <c>var prev = h;</c>) reads the previous state under another name.
    /// </summary>
    private static bool IsAliasOf(ISymbol? read, ISymbol state, ValueFlow flow) =>
        read is ILocalSymbol local && flow.DefinitionsOf(local) is { Count: 1 } definitions &&
        SymbolEqualityComparer.Default.Equals(ValueFlow.SymbolOf(definitions[0]), state);

    /// <summary>A constant decay (an EMA) is not a learned transition; only computed ones are reported.</summary>
    private static bool IsComputed(IOperation origin, TorchSymbols symbols) =>
        !origin.ConstantValue.HasValue && (origin is IInvocationOperation || (origin is IBinaryOperation b && b.OperatorMethod is not null) ||
            (origin is IUnaryOperation u && u.OperatorMethod is not null)) && symbols.IsTensor(origin.Type);

    /// <summary><c>1 - p</c>: the complement of a gate, coupled to the input gate <c>p</c>; rescaling it would change both.</summary>
    private static bool IsOneMinus(IOperation origin) =>
        origin is IBinaryOperation { OperatorKind: BinaryOperatorKind.Subtract } subtract &&
        TorchSymbols.TryGetConstant(subtract.LeftOperand, out var one) && one == 1;

    /// <summary>A fixed schedule (linspace, arange, constants) depends on no input, parameter or module.</summary>
    private static bool IsDataDependent(HashSet<IOperation> slice, TorchSymbols symbols) =>
        slice.Any(node => (node is IParameterReferenceOperation or IFieldReferenceOperation or IPropertyReferenceOperation { Property.IsIndexer: false } or IInvocationOperation &&
            HoldsTensors(node.Type, symbols) && !symbols.TryGetCall(node, out _) && !OnlySized(node, symbols)) ||
            (node is IInvocationOperation { Instance: { } module } && symbols.IsModuleType(module.Type)));

    /// <summary>A tensor read only for its size (<c>x.shape</c>, <c>x.size(0)</c>): the schedule stays fixed.</summary>
    private static bool OnlySized(IOperation node, TorchSymbols symbols) =>
        node.Parent is IPropertyReferenceOperation or IInvocationOperation && node.Parent is var parent &&
        (parent as IPropertyReferenceOperation)?.Instance == node | (parent as IInvocationOperation)?.Instance == node && !HoldsTensors(parent.Type, symbols);

    /// <summary>A tensor, a module, or an array or collection of tensors; a size such as <c>x.shape[0]</c> is not data.</summary>
    private static bool HoldsTensors(ITypeSymbol? type, TorchSymbols symbols) =>
        symbols.IsTensor(type) || symbols.IsModuleType(type) ||
        (type is IArrayTypeSymbol array && symbols.IsTensor(array.ElementType)) ||
        (type is INamedTypeSymbol { IsGenericType: true } generic && generic.TypeArguments.Any(symbols.IsTensor));

    /// <summary>
    /// A decay that reads a tensor carried from one iteration to the next (h in a GRU, h and c in an LSTM) belongs to a
    /// nonlinear RNN: out of scope.
    /// </summary>
    private static bool ReadsLoopState(IOperation decay, HashSet<IOperation> slice, TorchSymbols symbols)
    {
        ILoopOperation? loop = null;
        for (var current = decay.Parent; current is not null && loop is null; current = current.Parent)
        {
            loop = current as ILoopOperation;
        }

        if (loop is null)
        {
            return false;
        }

        var carried = new HashSet<ISymbol>(SymbolEqualityComparer.Default);
        foreach (var node in loop.Descendants())
        {
            var target = node switch
            {
                IAssignmentOperation assignment => ValueFlow.SymbolOf(assignment.Target),
                IInvocationOperation invocation when symbols.TryGetCall(invocation, out var call) && call.IsInstance && call.Name.EndsWith("_", System.StringComparison.Ordinal) =>
                    ValueFlow.SymbolOf(call.First),
                _ => null,
            };
            if (target is not null && symbols.IsTensor(TypeOf(target)) && !DeclaredInside(target, loop))
            {
                carried.Add(target);
            }
        }

        return slice.Any(node => ValueFlow.SymbolOf(node) is { } read && carried.Contains(read));
    }

    private static ITypeSymbol? TypeOf(ISymbol symbol) => symbol switch
    {
        ILocalSymbol local => local.Type,
        IParameterSymbol parameter => parameter.Type,
        IFieldSymbol field => field.Type,
        IPropertySymbol property => property.Type,
        _ => null,
    };

    private static bool DeclaredInside(ISymbol symbol, IOperation loop) =>
        symbol is ILocalSymbol && symbol.DeclaringSyntaxReferences.Any(r => loop.Syntax.Span.Contains(r.Span));

    /// <summary>The expression under indexing, reshapes and transposes: an affine map of it commutes with them.</summary>
    private static IOperation? BaseOfViews(IOperation operation, TorchSymbols symbols)
    {
        var current = TorchSymbols.Unwrap(operation);
        while (current is not null)
        {
            if (current is IPropertyReferenceOperation { Property.IsIndexer: true } indexer && symbols.IsTensor(indexer.Instance?.Type))
            {
                current = TorchSymbols.Unwrap(indexer.Instance);
            }
            else if (current is IPropertyReferenceOperation { Property.Name: "T" or "mT" or "mH" or "H" } view && symbols.IsTensor(view.Instance?.Type))
            {
                current = TorchSymbols.Unwrap(view.Instance);
            }
            else if (symbols.TryGetCall(current, out var call) && call.IsInstance && ValueRanges.IsRangePreserving(call.Name) &&
                     call.Name is not ("gather" or "index_select" or "to" or "type" or "to_type"))
            {
                current = TorchSymbols.Unwrap(call.First);
            }
            else
            {
                return current;
            }
        }

        return null;
    }

    /// <summary><c>var a = ...;</c> with one declarator, directly in a block: a new local can follow it.</summary>
    private static IOperation? DeclarationStatement(IOperation definition)
    {
        if (definition.Parent is IVariableInitializerOperation { Parent: IVariableDeclaratorOperation { Parent: IVariableDeclarationOperation { Declarators.Length: 1 } declaration } } &&
            declaration.Parent is IVariableDeclarationGroupOperation { Declarations.Length: 1, Parent: IBlockOperation } group)
        {
            return group;
        }

        return null;
    }
}
