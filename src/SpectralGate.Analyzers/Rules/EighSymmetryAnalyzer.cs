using System.Collections.Generic;
using System.Collections.Immutable;
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
        messageFormat: "'{0}' reads only one triangle of '{1}', which is not known to be symmetric; symmetrise it first, for example (A + A.mT) / 2, or use linalg.eig",
        RuleCategories.Spectral,
        DiagnosticSeverity.Warning,
        description: "linalg.eigh and linalg.eigvalsh assume a symmetric (Hermitian) input and read only its lower (or upper) triangle. On a non-symmetric matrix they silently return the eigenvalues of another matrix. Known symmetric: Gram products X.mT.matmul(X), (A + A.mT) / 2, cov, eye, and results of methods marked [SymmetricMatrix] or listed in spectralgate.symmetric_methods.");

    private enum Symmetry
    {
        Unknown,
        Symmetric,
        NotSymmetric,
    }

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(Rule);

    internal override void Register(CompilationStartAnalysisContext context, TorchSymbols symbols) =>
        context.RegisterOperationBlockAction(block =>
        {
            foreach (var root in block.OperationBlocks)
            {
                var flow = new ValueFlow(root);
                HashSet<string>? trusted = null;
                foreach (var operation in root.Descendants())
                {
                    if (operation is not IInvocationOperation invocation || !symbols.TryGetCall(invocation, out var call) ||
                        call.Name is not ("eigh" or "eigvalsh") || call.ContainerName != "linalg" || call.First is not { } matrix)
                    {
                        continue;
                    }

                    trusted ??= block.Options.GetMethodList(root.Syntax.SyntaxTree, Rule.Id, SymmetricMethodsKey);
                    var checker = new Checker(symbols, flow, trusted);
                    if (checker.Classify(matrix, 0) == Symmetry.NotSymmetric)
                    {
                        block.ReportDiagnostic(Diagnostic.Create(Rule, invocation.Syntax.GetLocation(), "linalg." + call.Name, TorchSymbols.Unwrap(matrix)!.Syntax.ToString()));
                    }
                }
            }
        });

    private sealed class Checker
    {
        private readonly TorchSymbols _symbols;
        private readonly ValueFlow _flow;
        private readonly HashSet<string> _trusted;
        private readonly HashSet<ISymbol> _visiting = new(SymbolEqualityComparer.Default);

        public Checker(TorchSymbols symbols, ValueFlow flow, HashSet<string> trusted)
        {
            _symbols = symbols;
            _flow = flow;
            _trusted = trusted;
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

            switch (value)
            {
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
                case IBinaryOperation binary when binary.OperatorMethod is not null && _symbols.IsTensor(binary.Type):
                    return ClassifyBinary(binary, depth);
                case IInvocationOperation invocation when !_symbols.TryGetCall(invocation, out _):
                {
                    var method = invocation.TargetMethod;
                    return method.HasAttributeNamed(SymmetricAttributeName) || _trusted.Contains(method.QualifiedName())
                        ? Symmetry.Symmetric
                        : Symmetry.Unknown;
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
                    return IsGram(call.Operands[0], call.Operands[1]) ? Symmetry.Symmetric : KnownOperandsOr(call, depth);
                case "matrix_exp" or "exp" or "sigmoid" or "tanh" or "abs" or "sqrt" or "relu" or "neg" or "contiguous" or "clone"
                    or "detach" or "to" or "t" or "transpose" or "float" or "double" or "mul" or "div" or "add" or "sub":
                    return Combine(call, depth);
            }

            return Symmetry.Unknown;
        }

        private Symmetry ClassifyBinary(IBinaryOperation binary, int depth)
        {
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
