using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using SpectralGate.Analyzers.Internals;

namespace SpectralGate.Analyzers.Rules;

/// <summary>
/// SG0001: a learnable n x n matrix mixes parallel residual streams (hyper-connections) with nothing that keeps its
/// spectrum in check. Unconstrained, the product of the mixers over depth can grow or vanish and the identity
/// mapping of the residual is lost (Zhu et al., Hyper-Connections, arXiv:2409.19606; mHC, arXiv:2512.24880, projects
/// onto the Birkhoff polytope with Sinkhorn-Knopp).
/// </summary>
/// <remarks>
/// The mixer is a field of the module: a <c>Parameter</c> created from a visibly square tensor, or a bias-free
/// <c>Linear(n, n)</c>. It mixes streams when it contracts an axis of the residual other than the last (feature)
/// axis: <c>H.matmul(x)</c>, an einsum that sums over a non-last index of x, or the Linear applied to a transposed x.
/// Its product must flow back into the residual (added to it, assigned over it, or returned from forward with x as
/// input). Any visible constraint, or any call the analyzer cannot see into, keeps the rule silent.
/// A dynamic mixer (HC's dynamic part, mHC's H_res) is computed from the residual instead: a projection of it
/// reshaped to n x n per sample or token; the constraint is then looked for between the projection and the product.
/// </remarks>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class ResidualMixerAnalyzer : TorchAnalyzer
{
    public const string ConstraintMethodsKey = "constraint_methods";
    public const string ConstraintAttributeName = "SpectralConstraintAttribute";

    internal static readonly DiagnosticDescriptor Rule = RuleDescriptors.Create(
        RuleIdentifiers.UnconstrainedResidualMixer,
        title: "Unconstrained residual-stream mixer",
        messageFormat: "Residual mixer '{0}' has no spectral constraint, so products over depth can explode or vanish; project it (Sinkhorn-Knopp)",
        RuleCategories.Spectral,
        DiagnosticSeverity.Warning,
        description: "A learnable n x n matrix that mixes parallel residual streams (hyper-connections) loses the identity mapping of the residual: products of unconstrained mixers over depth explode or vanish. Constrain it to the Birkhoff polytope (Sinkhorn-Knopp, mHC), the Stiefel manifold (Cayley transform, matrix_exp of a skew-symmetric matrix, QR), or a spectral-norm sphere.");

    private static readonly HashSet<string> s_factories = new() { "randn", "rand", "zeros", "ones", "empty", "full", "eye", "normal" };

    // Elementwise maps a dynamic mixer's logits may pass through between its projection and the reshape.
    private static readonly HashSet<string> s_pointwise = new()
    {
        "tanh", "tanh_", "sigmoid", "sigmoid_", "exp", "exp_", "relu", "gelu", "silu", "softplus", "mul", "mul_", "add", "add_",
        "sub", "sub_", "div", "div_", "neg", "abs", "clamp", "clip", "square", "sqrt", "pow", "expit", "dropout",
    };

    public ResidualMixerAnalyzer() : base(Rule, OperationKind.Invocation) { }

    internal override void AnalyzeCandidate(RuleContext context)
    {
        var invocation = (IInvocationOperation)context.Operation;
        var symbols = context.Symbols;

        // Cheap tests first: a product call, a Linear call, or a helper taking a matrix and a stream, in a module.
        var target = invocation.TargetMethod;
        var candidate = target.Name is "matmul" or "mm" or "bmm" or "einsum" or "tensordot" or "linear" or "forward" or "call" ||
            (target.MethodKind is MethodKind.Ordinary or MethodKind.LocalFunction && symbols.IsTensor(target.ReturnType) &&
             invocation.Arguments.Count(a => symbols.IsTensor(a.Value.Type)) >= 2);
        if (!candidate || context.ContainingSymbol.ContainingType is not { } type || !symbols.IsModuleType(type))
        {
            return;
        }

        var trusted = context.Options.GetMethodList(invocation.Syntax.SyntaxTree, Rule.Id, ConstraintMethodsKey);
        var analysis = new BlockAnalysis(symbols, context.Flow, trusted, 0);
        var method = context.ContainingSymbol as IMethodSymbol;
        var mixing = analysis.FindUnconstrainedMixing(invocation, method);
        if (mixing.Field is null && mixing.DynamicName is null)
        {
            return;
        }

        // Square mixer fields are found once per type, and only for types that have a candidate.
        var fields = mixing.Field is null ? null : context.TypeState(Rule.Id, type, t => SquareMixerFields(t, invocation, symbols));
        var name = fields is not null && fields.Contains(mixing.Field!) ? mixing.Field!.Name : mixing.DynamicName;
        if (name is not null)
        {
            context.Report(Diagnostic.Create(Rule, invocation.Syntax.GetLocation(), name));
        }
    }

    /// <summary>The type's fields created as square matrices, from its declarations in this file.</summary>
    private static HashSet<IFieldSymbol> SquareMixerFields(INamedTypeSymbol type, IOperation from, TorchSymbols symbols)
    {
        var result = new HashSet<IFieldSymbol>(SymbolEqualityComparer.Default);
        if (from.SemanticModel is not { } model)
        {
            return result;
        }

        foreach (var reference in type.DeclaringSyntaxReferences)
        {
            if (reference.SyntaxTree != from.Syntax.SyntaxTree)
            {
                continue;
            }

            foreach (var member in reference.GetSyntax().ChildNodes())
            {
                var bodies = member is FieldDeclarationSyntax field
                    ? field.DescendantNodes().OfType<EqualsValueClauseSyntax>().Select(e => model.GetOperation(e))
                    : new[] { model.GetOperation(member) };
                foreach (var body in bodies)
                {
                    if (body is not null)
                    {
                        result.UnionWith(new BlockAnalysis(symbols, new ValueFlow(body), new HashSet<string>(), 0).FindSquareMixerFields(body));
                    }
                }
            }
        }

        return result;
    }

    private sealed class BlockAnalysis
    {
        private readonly TorchSymbols _symbols;
        private readonly ValueFlow _flow;
        private readonly HashSet<string> _trusted;
        private readonly int _callDepth;

        public BlockAnalysis(TorchSymbols symbols, ValueFlow flow, HashSet<string> trusted, int callDepth)
        {
            _symbols = symbols;
            _flow = flow;
            _trusted = trusted;
            _callDepth = callDepth;
        }

        public IEnumerable<IFieldSymbol> FindSquareMixerFields(IOperation root)
        {
            foreach (var operation in root.DescendantsAndSelf())
            {
                IFieldSymbol? field = null;
                IOperation? value = null;
                switch (operation)
                {
                    case ISimpleAssignmentOperation { Target: IFieldReferenceOperation target } assignment:
                        field = target.Field;
                        value = assignment.Value;
                        break;
                    case IFieldInitializerOperation initializer when initializer.InitializedFields.Length == 1:
                        field = initializer.InitializedFields[0];
                        value = initializer.Value;
                        break;
                }

                // A ParameterList of square mixers: built from them, or filled with Add / append.
                if (operation is IInvocationOperation { TargetMethod.Name: "Add" or "append", Instance: var list } add && add.Arguments.Length == 1 &&
                    ValueFlow.SymbolOf(list) is IFieldSymbol listField && _symbols.IsParameterListType(listField.Type))
                {
                    field = listField;
                    value = add.Arguments[0].Value;
                }

                if (field is null || value is null)
                {
                    continue;
                }

                if (_symbols.IsParameterListType(field.Type)
                        ? value.DescendantsAndSelf().Any(IsSquareMixerCreation)
                        : IsSquareMixerCreation(value))
                {
                    yield return field;
                }
            }
        }

        /// <summary>
        /// An unconstrained mixing product that flows back into the residual: the mixer field it comes from (reported
        /// when the field is visibly square), and the name of a mixer computed from the residual itself, or neither.
        /// </summary>
        public (IFieldSymbol? Field, string? DynamicName) FindUnconstrainedMixing(IInvocationOperation invocation, IMethodSymbol? method)
        {
            if (_symbols.TryGetCall(invocation, out var call))
            {
                if (!TryGetMixing(call, out var matrix, out var stream) || !FlowsBackIntoResidual(invocation, stream, method))
                {
                    return (null, null);
                }

                var field = MixerField(matrix) is { } f && !IsConstrainedOrOpaque(matrix) ? f : null;
                // A dynamic mixer must meet the residual itself: x.unsqueeze(-1) or x.view(...) move the feature axis
                // into the contracted one (fast weights of a hypernetwork), which is not stream mixing.
                var dynamicName = ValueFlow.SymbolOf(stream) is not null && DynamicProjection(matrix, stream) is { } projection && !IsConstrainedOrOpaque(matrix, projection)
                    ? DynamicMixerName(matrix, projection)
                    : null;
                return (field, dynamicName);
            }

            if (invocation.TargetMethod.Name is "forward" or "call" && invocation.Arguments.Length == 1 &&
                ValueFlow.SymbolOf(invocation.Instance) is IFieldSymbol linear && _symbols.IsLinearType(linear.Type) &&
                IsAxisSwappedView(invocation.Arguments[0].Value, out var swappedStream) &&
                FlowsBackIntoResidual(invocation, swappedStream, method))
            {
                return (linear, null);
            }

            // Mix(H, x): a helper of this file that returns its matrix argument times its stream argument.
            if (_callDepth < Callees.MaxDepth && Callees.BodyOf(invocation) is { } body && invocation.TargetMethod is var helper &&
                HelperMixing(body, helper) is ({ } matrixParameter, { } streamParameter) &&
                Callees.ArgumentFor(invocation, matrixParameter) is { } matrixArgument && Callees.ArgumentFor(invocation, streamParameter) is { } streamArgument &&
                MixerField(matrixArgument) is { } mixer && FlowsBackIntoResidual(invocation, streamArgument, method) && !IsConstrainedOrOpaque(matrixArgument))
            {
                return (mixer, null);
            }

            return (null, null);
        }

        /// <summary>The helper's parameters (matrix, stream) when it returns an unconstrained matrix-times-stream product of them.</summary>
        private (IParameterSymbol? Matrix, IParameterSymbol? Stream) HelperMixing(IOperation body, IMethodSymbol helper)
        {
            var inner = new BlockAnalysis(_symbols, new ValueFlow(body), _trusted, _callDepth + 1);
            foreach (var node in body.Descendants())
            {
                if (_symbols.TryGetCall(node, out var call) && inner.TryGetMixing(call, out var matrix, out var stream, parametersAsMixers: true) &&
                    inner._flow.Slice(matrix).Select(n => (n as IParameterReferenceOperation)?.Parameter).FirstOrDefault(p => p is not null) is { } matrixParameter &&
                    stream.BaseSymbol(_symbols, out _) is IParameterSymbol streamParameter &&
                    inner.FlowsBackIntoResidual(call.Invocation, stream, helper) && !inner.IsConstrainedOrOpaque(matrix))
                {
                    return (matrixParameter, streamParameter);
                }
            }

            return (null, null);
        }

        /// <summary>Parameter(square tensor), or Linear(n, n, hasBias: false).</summary>
        private bool IsSquareMixerCreation(IOperation value)
        {
            value = TorchSymbols.Unwrap(value)!;
            if (value is IObjectCreationOperation creation && _symbols.IsParameterType(creation.Type) && creation.Arguments.Length > 0)
            {
                return IsSquareMatrix(creation.Arguments[0].Value, 0);
            }

            if (!_symbols.TryGetCall(value, out var call))
            {
                return false;
            }

            if (call.Name == "Parameter" && call.First is { } data)
            {
                return IsSquareMatrix(data, 0);
            }

            if (call.Name == "Linear" && call.Operands.Length >= 3 && SameSize(call.Operands[0], call.Operands[1]))
            {
                return TorchSymbols.Unwrap(call.Argument("hasBias")) is { ConstantValue: { HasValue: true, Value: false } };
            }

            return false;
        }

        private bool IsSquareMatrix(IOperation? operation, int depth)
        {
            var value = TorchSymbols.Unwrap(operation);
            if (value is null || depth > 8)
            {
                return false;
            }

            if (value is ILocalReferenceOperation local)
            {
                var definitions = _flow.DefinitionsOf(local.Local);
                return definitions.Count == 1 && IsSquareMatrix(definitions[0], depth + 1);
            }

            if (value is IBinaryOperation binary && binary.OperatorMethod is not null && _symbols.IsTensor(binary.Type))
            {
                return IsSquareMatrix(binary.LeftOperand, depth + 1) || IsSquareMatrix(binary.RightOperand, depth + 1);
            }

            if (!_symbols.TryGetCall(value, out var call))
            {
                return false;
            }

            if (!s_factories.Contains(call.Name))
            {
                return call.IsInstance && call.Name is "to" or "clone" or "detach" or "contiguous" or "mul" or "add" or "div" or "requires_grad_" or
                    "mul_" or "div_" or "add_" or "sub_" or "copy_" or "normal_" or "uniform_" && IsSquareMatrix(call.First, depth + 1);
            }

            var sizes = new List<IOperation>();
            foreach (var operand in call.Operands)
            {
                var v = TorchSymbols.Unwrap(operand);
                if (v is IArrayCreationOperation { Initializer: { } init } && init.ElementValues.All(e => IsInteger(e.Type)))
                {
                    sizes.AddRange(init.ElementValues);
                    break;
                }

                if (v is null || !IsInteger(v.Type))
                {
                    break;
                }

                if (call.Invocation.Arguments.FirstOrDefault(a => a.Value == operand) is { ArgumentKind: ArgumentKind.DefaultValue })
                {
                    break;
                }

                sizes.Add(v);
            }

            if (call.Name == "eye")
            {
                return sizes.Count == 1 || (sizes.Count == 2 && (SameSize(sizes[0], sizes[1]) || (TorchSymbols.TryGetConstant(sizes[1], out var c) && c == -1)));
            }

            return sizes.Count == 2 && SameSize(sizes[0], sizes[1]);
        }

        private static bool IsInteger(ITypeSymbol? type) =>
            type?.SpecialType is SpecialType.System_Int32 or SpecialType.System_Int64;

        private static bool SameSize(IOperation a, IOperation b)
        {
            if (TorchSymbols.TryGetConstant(a, out var x) && TorchSymbols.TryGetConstant(b, out var y))
            {
                return x == y;
            }

            return ValueFlow.SymbolOf(a) is { } sa && SymbolEqualityComparer.Default.Equals(sa, ValueFlow.SymbolOf(b));
        }

        /// <summary>The matrix and the stream of a product that contracts a non-last axis of the stream.</summary>
        private bool TryGetMixing(TorchCall call, out IOperation matrix, out IOperation stream, bool parametersAsMixers = false)
        {
            matrix = stream = null!;
            bool IsMixer(IOperation operand, IOperation other) => MixerField(operand) is not null ||
                (parametersAsMixers && TorchSymbols.Unwrap(operand) is IParameterReferenceOperation) ||
                DynamicProjection(operand, other) is not null;
            switch (call.Name)
            {
                case "matmul" or "mm" or "bmm" when call.Operands.Length == 2:
                    // H.matmul(x) contracts the row axis of x: x stacks the streams as rows.
                    if (IsMixer(call.Operands[0], call.Operands[1]))
                    {
                        matrix = call.Operands[0];
                        stream = call.Operands[1];
                        return true;
                    }

                    // x.mT.matmul(H): the streams were moved to the last axis first.
                    if (IsAxisSwappedView(call.Operands[0], out var swapped) && IsMixer(call.Operands[1], swapped))
                    {
                        matrix = call.Operands[1];
                        stream = swapped;
                        return true;
                    }

                    return false;
                case "einsum":
                    return TryGetEinsumMixing(call, out matrix, out stream);
                case "tensordot":
                    return TryGetTensordotMixing(call, IsMixer, out matrix, out stream);
                case "linear" when call.Operands.Length >= 2 && IsAxisSwappedView(call.Operands[0], out var input):
                    matrix = call.Operands[1];
                    stream = input;
                    return true;
                default:
                    return false;
            }
        }

        private bool TryGetEinsumMixing(TorchCall call, out IOperation matrix, out IOperation stream)
        {
            matrix = stream = null!;
            var tensors = call.TensorOperands(_symbols).ToList();
            if (tensors.Count != 2 || TorchSymbols.Unwrap(call.First)?.ConstantValue.Value is not string equation)
            {
                return false;
            }

            var arrow = equation.IndexOf("->", System.StringComparison.Ordinal);
            if (arrow < 0)
            {
                return false;
            }

            var inputs = equation.Substring(0, arrow).Replace(" ", string.Empty).Split(',');
            var output = equation.Substring(arrow + 2).Trim();
            if (inputs.Length != 2)
            {
                return false;
            }

            for (var m = 0; m < 2; m++)
            {
                var s = 1 - m;
                if (inputs[s].Length == 0 || inputs[m].Length < 2 ||
                    !(inputs[m].Length == 2 && MixerField(tensors[m]) is not null || DynamicProjection(tensors[m], tensors[s]) is not null))
                {
                    continue;
                }

                // The contracted index, one of the matrix's last two (a dynamic mixer's leading ones are batch or
                // token indices): shared with the stream, absent from the output.
                foreach (var index in inputs[m].Substring(inputs[m].Length - 2))
                {
                    var position = inputs[s].IndexOf(index);
                    if (position >= 0 && output.IndexOf(index) < 0 && position != inputs[s].Length - 1)
                    {
                        matrix = tensors[m];
                        stream = tensors[s];
                        return true;
                    }
                }
            }

            return false;
        }

        /// <summary>
        /// tensordot(H, x, dims1, dims2) or tensordot(H, x, 1) (H's last axis against x's first): the stream axes it
        /// contracts include a non-last one, written as 0 or as -2 and below (a positive axis other than 0 could be
        /// the last one of a two-dimensional stream, so it is not taken).
        /// </summary>
        private bool TryGetTensordotMixing(TorchCall call, System.Func<IOperation, IOperation, bool> isMixer, out IOperation matrix, out IOperation stream)
        {
            matrix = stream = null!;
            if (call.Operands.Length < 3 || !_symbols.IsTensor(call.Operands[0].Type) || !_symbols.IsTensor(call.Operands[1].Type))
            {
                return false;
            }

            for (var m = 0; m < 2; m++)
            {
                var s = 1 - m;
                if (!isMixer(call.Operands[m], call.Operands[s]))
                {
                    continue;
                }

                IEnumerable<double> streamAxes;
                if (call.Operands.Length == 3 && TorchSymbols.TryGetConstant(call.Operands[2], out var count))
                {
                    // An axis count pairs a's last axes with b's first ones.
                    streamAxes = m == 0 && count == 1 ? new[] { 0.0 } : System.Array.Empty<double>();
                }
                else if (call.Operands.Length == 4)
                {
                    streamAxes = ConstantArray(call.Operands[2 + s]);
                }
                else
                {
                    continue;
                }

                if (streamAxes.Any(a => a == 0 || a <= -2))
                {
                    matrix = call.Operands[m];
                    stream = call.Operands[s];
                    return true;
                }
            }

            return false;
        }

        private static IEnumerable<double> ConstantArray(IOperation operation)
        {
            if (TorchSymbols.Unwrap(operation) is not IArrayCreationOperation { Initializer: { } init })
            {
                yield break;
            }

            foreach (var element in init.ElementValues)
            {
                if (TorchSymbols.TryGetConstant(element, out var value))
                {
                    yield return value;
                }
            }
        }

        /// <summary>x.mT, x.transpose(a, b), x.movedim(...), x.permute(...): the stream axis is brought last.</summary>
        private bool IsAxisSwappedView(IOperation operation, out IOperation stream)
        {
            stream = operation;
            var value = TorchSymbols.Unwrap(operation);
            if (value is IPropertyReferenceOperation { Property.Name: "T" or "mT" or "mH" } property && _symbols.IsTensor(property.Instance?.Type))
            {
                stream = property.Instance!;
                return true;
            }

            if (_symbols.TryGetCall(value, out var call) && call.IsInstance && call.Name is "transpose" or "t" or "movedim" or "moveaxis" or "permute" or "swapaxes" or "swapdims")
            {
                stream = call.First!;
                return true;
            }

            return false;
        }

        /// <summary>
        /// The projection that computes a dynamic mixer from the residual, or null. The matrix must come (through
        /// any ops) from a reshape whose last two sizes are equal, <c>.view(-1, n, n)</c>, of the output of a
        /// projection reached through elementwise ops and views only: a <c>Linear</c> field's call, <c>F.linear</c>
        /// or a product with a <c>Parameter</c> field, whose input reads the residual the mixer is applied to. A
        /// contraction before the reshape (attention scores, a combination of fixed matrices) is not a mixer here.
        /// </summary>
        private IOperation? DynamicProjection(IOperation matrix, IOperation stream) =>
            stream.BaseSymbol(_symbols, out _) is { } residual
                ? FindSquareReshape(matrix, residual, new HashSet<ISymbol>(SymbolEqualityComparer.Default), 0)
                : null;

        private IOperation? FindSquareReshape(IOperation? operation, ISymbol residual, HashSet<ISymbol> visited, int depth)
        {
            var value = TorchSymbols.Unwrap(operation);
            if (value is null || depth > 24)
            {
                return null;
            }

            switch (value)
            {
                case ILocalReferenceOperation local:
                    if (!visited.Add(local.Local))
                    {
                        return null;
                    }

                    foreach (var definition in DefinitionsOf(local.Local))
                    {
                        if (FindSquareReshape(definition, residual, visited, depth + 1) is { } found)
                        {
                            return found;
                        }
                    }

                    return null;
                case ICompoundAssignmentOperation compound:
                    return FindSquareReshape(compound.Value, residual, visited, depth + 1);
                case IBinaryOperation binary when binary.OperatorMethod is not null:
                    return FindSquareReshape(binary.LeftOperand, residual, visited, depth + 1) ??
                        FindSquareReshape(binary.RightOperand, residual, visited, depth + 1);
                case IUnaryOperation unary when unary.OperatorMethod is not null:
                    return FindSquareReshape(unary.Operand, residual, visited, depth + 1);
                case IPropertyReferenceOperation property when _symbols.IsTensor(property.Instance?.Type):
                    return FindSquareReshape(property.Instance, residual, visited, depth + 1);
                case IFieldReferenceOperation { Field.ContainingType.IsTupleType: true } element:
                    return FindSquareReshape(element.Instance, residual, visited, depth + 1);
            }

            if (!_symbols.TryGetCall(value, out var call))
            {
                // A mixer module of this file (mixer.call(x), a submodule a probe can hook): its forward computes the
                // mixer from its input, which is the residual here.
                if (value is IInvocationOperation moduleCall && _callDepth < Callees.MaxDepth && Callees.ModuleForwardOf(moduleCall, _symbols) is { } module &&
                    ReadsSymbol(moduleCall.Arguments[0].Value, residual))
                {
                    var inner = new BlockAnalysis(_symbols, new ValueFlow(module.Body), _trusted, _callDepth + 1);
                    return Callees.ReturnedValues(module.Body)
                        .Select(v => inner.FindSquareReshape(v, module.Input, new HashSet<ISymbol>(SymbolEqualityComparer.Default), depth + 1))
                        .FirstOrDefault(found => found is not null);
                }

                // A user method applied to the mixer (a projection, trusted or opaque): the constraint check decides.
                if (value is IInvocationOperation helper && _symbols.IsTensor(helper.Type) && !IsLinearFieldCall(helper))
                {
                    foreach (var argument in helper.Arguments.Where(a => _symbols.IsTensor(a.Value.Type)))
                    {
                        if (FindSquareReshape(argument.Value, residual, visited, depth + 1) is { } found)
                        {
                            return found;
                        }
                    }
                }

                return null;
            }

            if (IsSquareReshape(call) && FindProjection(call.First, residual, 0) is { } projection)
            {
                return projection;
            }

            foreach (var operand in call.TensorOperands(_symbols))
            {
                if (FindSquareReshape(operand, residual, visited, depth + 1) is { } found)
                {
                    return found;
                }
            }

            return null;
        }

        /// <summary>A local's definitions, or the deconstruction that declares it (<c>var (Q, R) = linalg.qr(A)</c>).</summary>
        private IEnumerable<IOperation> DefinitionsOf(ILocalSymbol local)
        {
            var definitions = _flow.DefinitionsOf(local);
            if (definitions.Count > 0)
            {
                return definitions;
            }

            return _flow.Root.Descendants().OfType<IDeconstructionAssignmentOperation>()
                .Where(d => d.Target.DescendantsAndSelf().Any(t => t is ILocalReferenceOperation r && SymbolEqualityComparer.Default.Equals(r.Local, local)))
                .Select(d => d.Value);
        }

        /// <summary><c>view</c> / <c>reshape</c> / <c>unflatten</c> whose last two sizes are the same constant or symbol.</summary>
        private static bool IsSquareReshape(TorchCall call)
        {
            var sizes = call.Name switch
            {
                "view" or "reshape" when call.IsInstance => call.Operands.Skip(1).SelectMany(Sizes).ToList(),
                "reshape" => call.Operands.Skip(1).SelectMany(Sizes).ToList(),
                "unflatten" when call.Operands.Length >= 3 => Sizes(call.Operands[2]).ToList(),
                _ => new List<IOperation>(),
            };
            return sizes.Count >= 2 && SameSize(sizes[sizes.Count - 2], sizes[sizes.Count - 1]);
        }

        private static IEnumerable<IOperation> Sizes(IOperation operand)
        {
            var value = TorchSymbols.Unwrap(operand);
            if (value is IArrayCreationOperation { Initializer: { } init })
            {
                return init.ElementValues;
            }

            return value is not null && IsInteger(value.Type) ? new[] { value } : System.Array.Empty<IOperation>();
        }

        /// <summary>The projection at the end of a chain of elementwise ops and views, when its input reads the residual.</summary>
        private IOperation? FindProjection(IOperation? operation, ISymbol residual, int depth)
        {
            var value = TorchSymbols.Unwrap(operation);
            if (value is null || depth > 16)
            {
                return null;
            }

            switch (value)
            {
                case ILocalReferenceOperation local:
                    var definitions = _flow.DefinitionsOf(local.Local);
                    return definitions.Count == 1 ? FindProjection(definitions[0], residual, depth + 1) : null;
                case IBinaryOperation binary when binary.OperatorMethod is not null && _symbols.IsTensor(binary.Type):
                    return FindProjection(binary.LeftOperand, residual, depth + 1) ?? FindProjection(binary.RightOperand, residual, depth + 1);
                case IUnaryOperation unary when unary.OperatorMethod is not null:
                    return FindProjection(unary.Operand, residual, depth + 1);
                case IInvocationOperation module when IsLinearFieldCall(module):
                    return ReadsSymbol(module.Arguments[0].Value, residual) ? module : null;
            }

            if (!_symbols.TryGetCall(value, out var call))
            {
                return null;
            }

            switch (call.Name)
            {
                case "linear" when call.Operands.Length >= 2 && IsParameterField(call.Operands[1]):
                    return ReadsSymbol(call.Operands[0], residual) ? call.Invocation : null;
                case "matmul" or "mm" when call.Operands.Length == 2:
                    return (IsParameterField(call.Operands[1]) && ReadsSymbol(call.Operands[0], residual)) ||
                        (IsParameterField(call.Operands[0]) && ReadsSymbol(call.Operands[1], residual))
                        ? call.Invocation
                        : null;
                default:
                    return (call.IsInstance && ValueRanges.IsRangePreserving(call.Name)) || s_pointwise.Contains(call.Name)
                        ? FindProjection(call.First, residual, depth + 1)
                        : null;
            }
        }

        private bool IsParameterField(IOperation operation) =>
            operation.BaseSymbol(_symbols, out _) is IFieldSymbol field && _symbols.IsParameterType(field.Type);

        private bool IsLinearFieldCall(IOperation operation) =>
            operation is IInvocationOperation { TargetMethod.Name: "call" or "forward" } module && module.Arguments.Length == 1 &&
            ValueFlow.SymbolOf(module.Instance) is IFieldSymbol field && _symbols.IsLinearType(field.Type);

        /// <summary>The local the mixer is held in, else the mixer module it comes from, else the projection's field.</summary>
        private string DynamicMixerName(IOperation matrix, IOperation projection) =>
            (TorchSymbols.Unwrap(matrix) as ILocalReferenceOperation)?.Local.Name ??
            (Callees.ModuleForwardOf(matrix, _symbols) is not null && TorchSymbols.Unwrap(matrix) is IInvocationOperation { Instance: { } module } &&
                ValueFlow.SymbolOf(module) is { } mixerModule ? mixerModule.Name : null) ??
            (projection is IInvocationOperation { Instance: { } instance } && ValueFlow.SymbolOf(instance) is { } field ? field.Name : matrix.ShortText());

        /// <summary>The Parameter or Linear field the matrix operand is derived from, looking through locals.</summary>
        private IFieldSymbol? MixerField(IOperation operation)
        {
            foreach (var node in _flow.Slice(operation))
            {
                if (node is IFieldReferenceOperation { Instance: null or IInstanceReferenceOperation } field &&
                    (_symbols.IsParameterType(field.Field.Type) || _symbols.IsLinearType(field.Field.Type) || _symbols.IsParameterListType(field.Field.Type)))
                {
                    return field.Field;
                }
            }

            return null;
        }

        /// <summary>
        /// Silent when the matrix passes through any recognised constraint, a trusted method, or a call whose effect
        /// is not visible here.
        /// </summary>
        private bool IsConstrainedOrOpaque(IOperation matrix, IOperation? projection = null)
        {
            // A dynamic mixer's projections (its own, and those of Kronecker factors) are known maps that constrain
            // nothing, and their inputs are the residual: the slice stops there.
            System.Func<IOperation, bool>? stop = projection is null ? null : node => node == projection || IsLinearFieldCall(node);
            var slice = _flow.Slice(matrix, stop);
            foreach (var local in slice.OfType<ILocalReferenceOperation>().Select(r => r.Local).Distinct(SymbolEqualityComparer.Default).Cast<ILocalSymbol>().ToList())
            {
                if (_flow.DefinitionsOf(local).Count == 0)
                {
                    foreach (var value in DefinitionsOf(local))
                    {
                        slice.UnionWith(_flow.Slice(value, stop));
                    }
                }
            }

            var normalisedDims = new HashSet<double>();
            bool inverse = false, matrixExp = false, skew = false;
            foreach (var node in slice)
            {
                if (node is IInvocationOperation invocation && stop?.Invoke(node) != true && !_symbols.TryGetCall(invocation, out _) && _symbols.IsTensor(invocation.Type))
                {
                    // A user method: trusted by attribute or option, followed when it is in this file, opaque otherwise.
                    if (invocation.TargetMethod.HasAttributeNamed(ConstraintAttributeName) || _trusted.Contains(invocation.TargetMethod.QualifiedName()) ||
                        HelperConstrains(invocation, projection))
                    {
                        return true;
                    }
                }

                if (node is IBinaryOperation binary && binary.OperatorMethod is not null)
                {
                    if (binary.OperatorKind == BinaryOperatorKind.Divide && DividesByNorm(binary.RightOperand, normalisedDims))
                    {
                        return true;
                    }

                    if (binary.OperatorKind == BinaryOperatorKind.Subtract)
                    {
                        skew |= IsSkewSymmetric(binary);
                        AddDim(binary.RightOperand, "logsumexp", normalisedDims);
                    }
                }

                if (!_symbols.TryGetCall(node, out var call))
                {
                    continue;
                }

                switch (call.Name)
                {
                    case "qr" or "householder_product" or "orthogonal_":
                        return true;
                    case "solve" or "inv" or "inverse" or "inv_ex" or "solve_ex":
                        inverse = true;
                        break;
                    case "matrix_exp":
                        matrixExp = true;
                        break;
                    case "softmax" or "log_softmax":
                        AddDimOf(call, normalisedDims);
                        break;
                    case "normalize":
                        if (call.Argument("dim") is { } dim && TorchSymbols.TryGetConstant(dim, out var d))
                        {
                            normalisedDims.Add(d);
                        }

                        break;
                    case "div" or "div_" when call.Operands.Length >= 2 && DividesByNorm(call.Operands[1], normalisedDims):
                        return true;
                    case "sub" or "sub_" when call.Operands.Length >= 2:
                        AddDim(call.Operands[1], "logsumexp", normalisedDims);
                        break;
                }
            }

            // Sinkhorn-Knopp alternates normalisations over two axes; Cayley and matrix_exp need a skew-symmetric argument.
            return normalisedDims.Count >= 2 || ((inverse || matrixExp) && skew);
        }

        /// <summary>
        /// True when the helper's (or the mixer module's forward's) returned values are constrained, or when its body
        /// cannot be seen. A dynamic mixer's projection found in that body still ends the slice there.
        /// </summary>
        private bool HelperConstrains(IInvocationOperation invocation, IOperation? projection)
        {
            if (_callDepth < Callees.MaxDepth && Callees.ModuleForwardOf(invocation, _symbols) is { } module)
            {
                var forward = new BlockAnalysis(_symbols, new ValueFlow(module.Body), _trusted, _callDepth + 1);
                return Callees.ReturnedValues(module.Body).Any(v => forward.IsConstrainedOrOpaque(v, projection));
            }

            if (_callDepth >= Callees.MaxDepth || Callees.BodyOf(invocation) is not { } body)
            {
                return true;
            }

            var inner = new BlockAnalysis(_symbols, new ValueFlow(body), _trusted, _callDepth + 1);
            return Callees.ReturnedValues(body).Any(v => inner.IsConstrainedOrOpaque(v));
        }

        /// <summary>Division by a sum over an axis (a Sinkhorn step) or by a matrix norm (a spectral-norm bound).</summary>
        private bool DividesByNorm(IOperation divisor, HashSet<double> normalisedDims)
        {
            foreach (var node in _flow.Slice(divisor))
            {
                if (!_symbols.TryGetCall(node, out var call))
                {
                    continue;
                }

                switch (call.Name)
                {
                    case "matrix_norm" or "norm" or "svdvals" or "svd" or "spectral_norm" or "eigvalsh":
                        return true;
                    case "sum":
                        AddDimOf(call, normalisedDims);
                        break;
                }
            }

            return false;
        }

        private void AddDim(IOperation operation, string name, HashSet<double> dims)
        {
            foreach (var node in _flow.Slice(operation))
            {
                if (_symbols.IsCall(node, name, out var call))
                {
                    AddDimOf(call, dims);
                }
            }
        }

        private static void AddDimOf(TorchCall call, HashSet<double> dims)
        {
            var dim = call.Argument("dim") ?? call.Argument("dimension") ??
                (call.Operands.Length > 1 ? call.Operands[1] : null);
            if (TorchSymbols.TryGetConstant(dim, out var value))
            {
                dims.Add(value);
            }
        }

        private bool IsSkewSymmetric(IBinaryOperation subtract) =>
            subtract.LeftOperand.BaseSymbol(_symbols, out var lt) is { } l &&
            subtract.RightOperand.BaseSymbol(_symbols, out var rt) is { } r &&
            SymbolEqualityComparer.Default.Equals(l, r) && lt != rt;

        /// <summary>The product is added back to the stream, assigned over it, or returned by a method that took it.</summary>
        private bool FlowsBackIntoResidual(IOperation product, IOperation stream, IMethodSymbol? method)
        {
            if (stream.BaseSymbol(_symbols, out _) is not { } residual)
            {
                return false;
            }

            var pending = new Stack<(IOperation Node, int Hops)>();
            pending.Push((product, 0));
            var seen = new HashSet<IOperation>();
            while (pending.Count > 0)
            {
                var (current, hops) = pending.Pop();
                if (!seen.Add(current) || hops > 6)
                {
                    continue;
                }

                var parent = current.Parent;
                while (parent is IConversionOperation or IArgumentOperation)
                {
                    current = parent;
                    parent = parent.Parent;
                }

                switch (parent)
                {
                    case IBinaryOperation { OperatorKind: BinaryOperatorKind.Add or BinaryOperatorKind.Subtract } binary when binary.OperatorMethod is not null:
                        var other = binary.LeftOperand == current ? binary.RightOperand : binary.LeftOperand;
                        if (binary.OperatorKind == BinaryOperatorKind.Add && SymbolEqualityComparer.Default.Equals(ValueFlow.SymbolOf(other), residual))
                        {
                            // x + H x = (I + H) x keeps the identity path of the residual.
                            return false;
                        }

                        if (ReadsSymbol(other, residual))
                        {
                            return true;
                        }

                        pending.Push((binary, hops));
                        break;
                    case IInvocationOperation invocation when _symbols.TryGetCall(invocation, out var call):
                        if (call.Name is "add" or "add_" && call.Operands.Any(o => o != current && ReadsSymbol(o, residual)))
                        {
                            return true;
                        }

                        if (call.IsInstance && ValueRanges.IsRangePreserving(call.Name) && TorchSymbols.Unwrap(call.First) == TorchSymbols.Unwrap(current))
                        {
                            pending.Push((invocation, hops));
                        }

                        break;
                    case IPropertyReferenceOperation { Property.Name: "T" or "mT" or "mH" or "H" } view when view.Instance == current:
                        pending.Push((view, hops));
                        break;
                    case IPropertyReferenceOperation { Property.IsIndexer: true } indexer when indexer.Instance == current:
                        pending.Push((indexer, hops));
                        break;
                    case ISimpleAssignmentOperation assignment when assignment.Value == current:
                        var target = ValueFlow.SymbolOf(assignment.Target);
                        if (SymbolEqualityComparer.Default.Equals(target, residual))
                        {
                            return true;
                        }

                        if (target is ILocalSymbol assigned)
                        {
                            FollowLocal(assigned, hops, pending);
                        }

                        break;
                    case IVariableInitializerOperation { Parent: IVariableDeclaratorOperation declarator }:
                        FollowLocal(declarator.Symbol, hops, pending);
                        break;
                    case IReturnOperation when residual is IParameterSymbol parameter && SymbolEqualityComparer.Default.Equals(parameter.ContainingSymbol, method):
                        return true;
                }
            }

            return false;
        }

        private void FollowLocal(ILocalSymbol local, int hops, Stack<(IOperation Node, int Hops)> pending)
        {
            foreach (var reference in _flow.ReferencesTo(local))
            {
                if (reference.Parent is not ISimpleAssignmentOperation a || a.Target != reference)
                {
                    pending.Push((reference, hops + 1));
                }
            }
        }

        private bool ReadsSymbol(IOperation operation, ISymbol symbol) =>
            _flow.Slice(operation).Any(node => SymbolEqualityComparer.Default.Equals(ValueFlow.SymbolOf(node), symbol));
    }
}
