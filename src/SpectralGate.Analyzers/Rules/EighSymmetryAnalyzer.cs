using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using SpectralGate.Analyzers.Internals;

namespace SpectralGate.Analyzers.Rules;

/// <summary>
/// SG0004: <c>linalg.eigh</c> / <c>eigvalsh</c> read only one triangle (UPLO) of their argument and never check
/// symmetry, so on a matrix that was built in a way that is not symmetric they return the spectrum of a different
/// matrix, silently. Only matrices whose construction is visible are judged; a parameter or an opaque call is left alone.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class EighSymmetryAnalyzer : TorchAnalyzer
{
    public const string SymmetricMethodsKey = "symmetric_methods";
    public const string SymmetricAttributeName = "SymmetricMatrixAttribute";

    internal static readonly DiagnosticDescriptor Rule = RuleDescriptors.Create(
        RuleIdentifiers.EighOnUnknownSymmetry,
        title: "Symmetric eigensolver applied to a matrix not known to be symmetric",
        messageFormat: "'{1}' is not known to be symmetric but '{0}' reads one triangle; use (A + A.mT) / 2 or linalg.eig",
        RuleCategories.Spectral,
        DiagnosticSeverity.Warning,
        description: "linalg.eigh and linalg.eigvalsh assume a symmetric (Hermitian) input and read only its lower (or upper) triangle. On a non-symmetric matrix they silently return the eigenvalues of another matrix. Known symmetric: Gram products X.mT.matmul(X), (A + A.mT) / 2, cov, eye, and results of methods marked [SymmetricMatrix] or listed in spectralgate.symmetric_methods.");

    private enum Symmetry
    {
        Unknown,
        Symmetric,
        NotSymmetric,
    }

    public EighSymmetryAnalyzer() : base(Rule, OperationKind.Invocation) { }

    internal override void AnalyzeCandidate(RuleContext context)
    {
        if (context.Operation is not IInvocationOperation { TargetMethod.Name: "eigh" or "eigvalsh" } invocation || !context.Symbols.TryGetCall(invocation, out var call) ||
            call.Name is not ("eigh" or "eigvalsh") || call.ContainerName != "linalg" || call.First is not { } matrix)
        {
            return;
        }

        var trusted = context.Options.GetMethodList(invocation.Syntax.SyntaxTree, Rule.Id, SymmetricMethodsKey);
        var checker = new Checker(context.Symbols, context.Flow, trusted);
        if (checker.Classify(matrix, 0) == Symmetry.NotSymmetric)
        {
            context.Report(Diagnostic.Create(Rule, invocation.Syntax.GetLocation(), "linalg." + call.Name, TorchSymbols.Unwrap(matrix)!.ShortText()));
        }
    }

    private sealed class Checker
    {
        private readonly TorchSymbols _symbols;
        private readonly ValueFlow _flow;
        private readonly HashSet<string> _trusted;
        private readonly HashSet<ISymbol> _visiting = new(SymbolEqualityComparer.Default);

        // Inside a followed helper: the call whose arguments bind its parameters, judged by the caller.
        private readonly Checker? _caller;
        private readonly IOperation? _call;
        private readonly int _callDepth;

        public Checker(TorchSymbols symbols, ValueFlow flow, HashSet<string> trusted, Checker? caller = null, IOperation? call = null, int callDepth = 0)
        {
            _symbols = symbols;
            _flow = flow;
            _trusted = trusted;
            _caller = caller;
            _call = call;
            _callDepth = callDepth;
        }

        public Symmetry Classify(IOperation? operation, int depth)
        {
            var value = TorchSymbols.Unwrap(operation);
            if (value is null || depth > 16)
            {
                return Symmetry.Unknown;
            }

            if (TorchSymbols.TryGetConstant(value, out _))
            {
                return Symmetry.Symmetric;
            }

            if (ValueFlow.SymbolOf(value) is { } declared && declared.HasAttributeNamed(SymmetricAttributeName))
            {
                return Symmetry.Symmetric;
            }

            switch (value)
            {
                case IParameterReferenceOperation parameter when _caller is not null && _call is not null &&
                    Callees.ArgumentFor(_call, parameter.Parameter) is { } argument:
                    return _caller.Classify(argument, depth + 1);
                case ILocalReferenceOperation local:
                {
                    if (!_visiting.Add(local.Local))
                    {
                        return Symmetry.Unknown;
                    }

                    var definitions = _flow.DefinitionsOf(local.Local);
                    var result = definitions.Count == 1 ? Classify(definitions[0], depth + 1) : Symmetry.Unknown;
                    _visiting.Remove(local.Local);
                    return result;
                }

                // A learnable weight is a general matrix unless a symmetric construction is visible.
                case IFieldReferenceOperation or IPropertyReferenceOperation { Property.IsIndexer: false } or ILocalReferenceOperation
                    when _symbols.IsParameterType(value.Type):
                    return Symmetry.NotSymmetric;
                case IPropertyReferenceOperation { Property.Name: "T" or "mT" or "mH" or "H" } transposed when _symbols.IsTensor(transposed.Instance?.Type):
                    return Classify(transposed.Instance, depth + 1);
                case IPropertyReferenceOperation { Property.IsIndexer: false } property when _symbols.IsTensor(property.Type) && !_symbols.IsTensor(property.Instance?.Type):
                    return property.Property.HasAttributeNamed(SymmetricAttributeName) || _trusted.Contains(property.Property.QualifiedName())
                        ? Symmetry.Symmetric
                        : ClassifyCallee(property);
                case IBinaryOperation binary when binary.OperatorMethod is not null && _symbols.IsTensor(binary.Type):
                    return ClassifyBinary(binary, depth);
                case IInvocationOperation invocation when !_symbols.TryGetCall(invocation, out _):
                {
                    var method = invocation.TargetMethod;
                    return method.HasAttributeNamed(SymmetricAttributeName) || _trusted.Contains(method.QualifiedName())
                        ? Symmetry.Symmetric
                        : ClassifyCallee(invocation);
                }
            }

            if (!_symbols.TryGetCall(value, out var call))
            {
                return Symmetry.Unknown;
            }

            switch (call.Name)
            {
                case "eye" or "cov" or "corrcoef" or "diag_embed" or "zeros_like" or "ones_like":
                    return Symmetry.Symmetric;
                case "randn" or "rand" or "randint" or "empty" or "normal" or "randn_like" or "rand_like" or "tril" or "triu":
                    return Symmetry.NotSymmetric;
                case "matmul" or "mm" or "bmm" when call.Operands.Length == 2:
                    return IsGram(call.Operands[0], call.Operands[1]) || IsCongruence(call.Operands[0], call.Operands[1], depth)
                        ? Symmetry.Symmetric
                        : KnownOperandsOr(call, depth);
                case "matrix_exp" or "exp" or "sigmoid" or "tanh" or "abs" or "sqrt" or "relu" or "neg" or "contiguous" or "clone"
                    or "detach" or "to" or "t" or "transpose" or "float" or "double" or "mul" or "div" or "add" or "sub":
                    return Combine(call, depth);
            }

            return Symmetry.Unknown;
        }

        /// <summary>A followed helper is what all its returns agree on; an opaque one is unknown.</summary>
        private Symmetry ClassifyCallee(IOperation invocation)
        {
            if (_callDepth >= Callees.MaxDepth || Callees.BodyOf(invocation) is not { } body)
            {
                return Symmetry.Unknown;
            }

            var callee = new Checker(_symbols, new ValueFlow(body), _trusted, this, invocation, _callDepth + 1);
            Symmetry? agreed = null;
            foreach (var returned in Callees.ReturnedValues(body))
            {
                var result = callee.Classify(returned, 0);
                if (result == Symmetry.Unknown || (agreed is { } a && a != result))
                {
                    return Symmetry.Unknown;
                }

                agreed = result;
            }

            return agreed ?? Symmetry.Unknown;
        }

        /// <summary>X D Xᵀ (or Xᵀ D X) with D symmetric: <c>X.matmul(D).matmul(X.mT)</c> in either grouping.</summary>
        private bool IsCongruence(IOperation left, IOperation right, int depth)
        {
            if (_symbols.TryGetCall(left, out var inner) && inner.Name is "matmul" or "mm" or "bmm" && inner.Operands.Length == 2 &&
                IsGram(inner.Operands[0], right))
            {
                return Classify(inner.Operands[1], depth + 1) == Symmetry.Symmetric;
            }

            if (_symbols.TryGetCall(right, out inner) && inner.Name is "matmul" or "mm" or "bmm" && inner.Operands.Length == 2 &&
                IsGram(left, inner.Operands[1]))
            {
                return Classify(inner.Operands[0], depth + 1) == Symmetry.Symmetric;
            }

            return false;
        }

        /// <summary><c>tril(A) + tril(A, -1).mT</c> (or the triu form): the lower triangle mirrored, symmetric by construction.</summary>
        private bool IsMirroredTriangle(IOperation left, IOperation right) =>
            Triangle(left) is { } l && Triangle(right) is { } r && l.Kind == r.Kind && SymbolEqualityComparer.Default.Equals(l.Base, r.Base) &&
            l.Transposed != r.Transposed && (l.Transposed ? l.Diagonal : r.Diagonal) == (l.Kind == "tril" ? -1 : 1) &&
            (l.Transposed ? r.Diagonal : l.Diagonal) == 0;

        private (string Kind, ISymbol Base, double Diagonal, bool Transposed)? Triangle(IOperation operation)
        {
            var transposed = false;
            var value = TorchSymbols.Unwrap(operation);
            while (true)
            {
                if (value is IPropertyReferenceOperation { Property.Name: "T" or "mT" } view && _symbols.IsTensor(view.Instance?.Type))
                {
                    transposed = !transposed;
                    value = TorchSymbols.Unwrap(view.Instance);
                }
                else if (_symbols.TryGetCall(value, out var t) && t.IsInstance && t.Name is "t" or "transpose" or "mT")
                {
                    transposed = !transposed;
                    value = TorchSymbols.Unwrap(t.First);
                }
                else
                {
                    break;
                }
            }

            if (!_symbols.TryGetCall(value, out var call) || call.Name is not ("tril" or "triu") || call.First.BaseSymbol(_symbols, out var baseTransposed) is not { } symbol || baseTransposed)
            {
                return null;
            }

            var diagonal = call.Operands.Length > 1 ? call.Operands[1] : null;
            if (diagonal is not null && call.Invocation.Arguments.Any(a => a.Value == diagonal && a.ArgumentKind == ArgumentKind.DefaultValue))
            {
                diagonal = null;
            }

            double k = 0;
            if (diagonal is not null && !TorchSymbols.TryGetConstant(diagonal, out k))
            {
                return null;
            }

            return (call.Name, symbol, k, transposed);
        }

        private Symmetry ClassifyBinary(IBinaryOperation binary, int depth)
        {
            if (binary.OperatorKind is BinaryOperatorKind.Add && IsMirroredTriangle(binary.LeftOperand, binary.RightOperand))
            {
                return Symmetry.Symmetric;
            }

            if (binary.OperatorKind is BinaryOperatorKind.Add &&
                binary.LeftOperand.BaseSymbol(_symbols, out var leftT) is { } l &&
                binary.RightOperand.BaseSymbol(_symbols, out var rightT) is { } r &&
                SymbolEqualityComparer.Default.Equals(l, r) && leftT != rightT)
            {
                return Symmetry.Symmetric; // A + A.mT
            }

            if (binary.OperatorKind is BinaryOperatorKind.Subtract &&
                binary.LeftOperand.BaseSymbol(_symbols, out var lt) is { } sl &&
                binary.RightOperand.BaseSymbol(_symbols, out var rt) is { } sr &&
                SymbolEqualityComparer.Default.Equals(sl, sr) && lt != rt)
            {
                return Symmetry.NotSymmetric; // A - A.mT is skew-symmetric
            }

            if (binary.OperatorKind is BinaryOperatorKind.Add or BinaryOperatorKind.Subtract or BinaryOperatorKind.Multiply or BinaryOperatorKind.Divide)
            {
                return Join(Classify(binary.LeftOperand, depth + 1), Classify(binary.RightOperand, depth + 1));
            }

            return Symmetry.Unknown;
        }

        private Symmetry Combine(TorchCall call, int depth)
        {
            var result = Symmetry.Symmetric;
            foreach (var operand in call.TensorOperands(_symbols))
            {
                result = Join(result, Classify(operand, depth + 1));
            }

            return result;
        }

        /// <summary>A product of two known matrices that is not a Gram product: not symmetric in general.</summary>
        private Symmetry KnownOperandsOr(TorchCall call, int depth)
        {
            var left = Classify(call.Operands[0], depth + 1);
            var right = Classify(call.Operands[1], depth + 1);
            return left != Symmetry.Unknown && right != Symmetry.Unknown ? Symmetry.NotSymmetric : Symmetry.Unknown;
        }

        private bool IsGram(IOperation left, IOperation right) =>
            left.BaseSymbol(_symbols, out var leftT) is { } l && right.BaseSymbol(_symbols, out var rightT) is { } r &&
            SymbolEqualityComparer.Default.Equals(l, r) && leftT != rightT;

        /// <summary>Elementwise combination: symmetric only if every part is; not symmetric if one part is and the rest are.</summary>
        private static Symmetry Join(Symmetry a, Symmetry b) => (a, b) switch
        {
            (Symmetry.Unknown, _) or (_, Symmetry.Unknown) => Symmetry.Unknown,
            (Symmetry.Symmetric, Symmetry.Symmetric) => Symmetry.Symmetric,
            _ => Symmetry.NotSymmetric,
        };
    }
}
