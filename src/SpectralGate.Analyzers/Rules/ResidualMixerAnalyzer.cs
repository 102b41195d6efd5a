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

    public ResidualMixerAnalyzer() : base(Rule, OperationKind.Invocation) { }

    internal override void AnalyzeCandidate(RuleContext context)
    {
        var invocation = (IInvocationOperation)context.Operation;
        var symbols = context.Symbols;

        // Cheap tests first: a product call, a Linear call, or a helper taking a matrix and a stream, in a module.
        var target = invocation.TargetMethod;
        var candidate = target.Name is "matmul" or "mm" or "bmm" or "einsum" or "linear" or "forward" or "call" ||
            (target.MethodKind is MethodKind.Ordinary or MethodKind.LocalFunction && symbols.IsTensor(target.ReturnType) &&
             invocation.Arguments.Count(a => symbols.IsTensor(a.Value.Type)) >= 2);
        if (!candidate || context.ContainingSymbol.ContainingType is not { } type || !symbols.IsModuleType(type))
        {
            return;
        }

        var trusted = context.Options.GetMethodList(invocation.Syntax.SyntaxTree, Rule.Id, ConstraintMethodsKey);
        var analysis = new BlockAnalysis(symbols, context.Flow, trusted, 0);
        var method = context.ContainingSymbol as IMethodSymbol;
        if (analysis.FindUnconstrainedMixing(invocation, method) is not { } field)
        {
            return;
        }

        // Square mixer fields are found once per type, and only for types that have a candidate.
        var fields = context.TypeState(Rule.Id, type, t => SquareMixerFields(t, invocation, symbols));
        if (fields.Contains(field))
        {
            context.Report(Diagnostic.Create(Rule, invocation.Syntax.GetLocation(), field.Name));
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

        /// <summary>The mixer field of an unconstrained mixing product that flows back into the residual, or null.</summary>
        public IFieldSymbol? FindUnconstrainedMixing(IInvocationOperation invocation, IMethodSymbol? method)
        {
            if (_symbols.TryGetCall(invocation, out var call))
            {
                return TryGetMixing(call, out var matrix, out var stream) && MixerField(matrix) is { } field &&
                    FlowsBackIntoResidual(invocation, stream, method) && !IsConstrainedOrOpaque(matrix)
                    ? field
                    : null;
            }

            if (invocation.TargetMethod.Name is "forward" or "call" && invocation.Arguments.Length == 1 &&
                ValueFlow.SymbolOf(invocation.Instance) is IFieldSymbol linear && _symbols.IsLinearType(linear.Type) &&
                IsAxisSwappedView(invocation.Arguments[0].Value, out var swappedStream) &&
                FlowsBackIntoResidual(invocation, swappedStream, method))
            {
                return linear;
            }

            // Mix(H, x): a helper of this file that returns its matrix argument times its stream argument.
            if (_callDepth < Callees.MaxDepth && Callees.BodyOf(invocation) is { } body && invocation.TargetMethod is var helper &&
                HelperMixing(body, helper) is ({ } matrixParameter, { } streamParameter) &&
                Callees.ArgumentFor(invocation, matrixParameter) is { } matrixArgument && Callees.ArgumentFor(invocation, streamParameter) is { } streamArgument &&
                MixerField(matrixArgument) is { } mixer && FlowsBackIntoResidual(invocation, streamArgument, method) && !IsConstrainedOrOpaque(matrixArgument))
            {
                return mixer;
            }

            return null;
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
            bool IsMixer(IOperation operand) => MixerField(operand) is not null ||
                (parametersAsMixers && TorchSymbols.Unwrap(operand) is IParameterReferenceOperation);
            switch (call.Name)
            {
                case "matmul" or "mm" or "bmm" when call.Operands.Length == 2:
                    // H.matmul(x) contracts the row axis of x: x stacks the streams as rows.
                    if (IsMixer(call.Operands[0]))
                    {
                        matrix = call.Operands[0];
                        stream = call.Operands[1];
                        return true;
                    }

                    // x.mT.matmul(H): the streams were moved to the last axis first.
                    if (IsMixer(call.Operands[1]) && IsAxisSwappedView(call.Operands[0], out var swapped))
                    {
                        matrix = call.Operands[1];
                        stream = swapped;
                        return true;
                    }

                    return false;
                case "einsum":
                    return TryGetEinsumMixing(call, out matrix, out stream);
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
                if (inputs[m].Length != 2 || MixerField(tensors[m]) is null || inputs[s].Length == 0)
                {
                    continue;
                }

                // The contracted index: shared by the matrix and the stream, absent from the output.
                foreach (var index in inputs[m])
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
        private bool IsConstrainedOrOpaque(IOperation matrix)
        {
            var slice = _flow.Slice(matrix);
            var normalisedDims = new HashSet<double>();
            bool inverse = false, matrixExp = false, skew = false;
            foreach (var node in slice)
            {
                if (node is IInvocationOperation invocation && !_symbols.TryGetCall(invocation, out _) && _symbols.IsTensor(invocation.Type))
                {
                    // A user method: trusted by attribute or option, followed when it is in this file, opaque otherwise.
                    if (invocation.TargetMethod.HasAttributeNamed(ConstraintAttributeName) || _trusted.Contains(invocation.TargetMethod.QualifiedName()) ||
                        HelperConstrains(invocation))
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

        /// <summary>True when the helper's returned values are constrained, or when its body cannot be seen.</summary>
        private bool HelperConstrains(IInvocationOperation invocation)
        {
            if (_callDepth >= Callees.MaxDepth || Callees.BodyOf(invocation) is not { } body)
            {
                return true;
            }

            var inner = new BlockAnalysis(_symbols, new ValueFlow(body), _trusted, _callDepth + 1);
            return Callees.ReturnedValues(body).Any(inner.IsConstrainedOrOpaque);
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
