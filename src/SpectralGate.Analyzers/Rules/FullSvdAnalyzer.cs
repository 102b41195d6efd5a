using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using SpectralGate.Analyzers.Internals;

namespace SpectralGate.Analyzers.Rules;

/// <summary>
/// SG0005: <c>linalg.svd</c> computes U and Vh as well as S; when only S is used, <c>linalg.svdvals</c> gives the
/// same values without the singular vectors (less work, and a gradient that stays defined on repeated singular values).
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class FullSvdAnalyzer : TorchAnalyzer
{
    internal static readonly DiagnosticDescriptor Rule = RuleDescriptors.Create(
        RuleIdentifiers.FullSvdForSingularValues,
        title: "Full SVD computed when only singular values are used",
        messageFormat: "Only the singular values of '{0}' are used; call linalg.svdvals instead of linalg.svd",
        RuleCategories.Performance,
        DiagnosticSeverity.Info,
        description: "linalg.svd also computes the singular vectors U and Vh. When only S is read, linalg.svdvals returns the same values with less work, and its gradient stays well defined when singular values repeat.");

    public FullSvdAnalyzer() : base(Rule, OperationKind.Invocation) { }

    internal override void AnalyzeCandidate(RuleContext context)
    {
        if (context.Operation is IInvocationOperation { TargetMethod.Name: "svd" } invocation && context.Symbols.TryGetCall(invocation, out var call) &&
            call.Name == "svd" && call.ContainerName == "linalg" && call.First is { } matrix && OnlySingularValuesUsed(invocation, context))
        {
            context.Report(Diagnostic.Create(Rule, invocation.Syntax.GetLocation(), TorchSymbols.Unwrap(matrix)!.ShortText()));
        }
    }

    private static bool OnlySingularValuesUsed(IInvocationOperation svd, RuleContext context)
    {
        var parent = svd.Parent;
        while (parent is IConversionOperation { OperatorMethod: null })
        {
            parent = parent.Parent;
        }

        switch (parent)
        {
            // linalg.svd(A).S or .Item2
            case IFieldReferenceOperation field:
                return field.Field.CorrespondingTupleField?.Name == "Item2";

            // var (u, s, vh) = linalg.svd(A); with u and vh discarded or never read.
            case IDeconstructionAssignmentOperation deconstruction when deconstruction.Value == svd || TorchSymbols.Unwrap(deconstruction.Value) == svd:
            {
                var target = deconstruction.Target is IDeclarationExpressionOperation declaration ? declaration.Expression : deconstruction.Target;
                if (target is not ITupleOperation { Elements.Length: 3 } tuple)
                {
                    return false;
                }

                var flow = context.Flow;
                return IsUnused(tuple.Elements[0], flow) && IsUnused(tuple.Elements[2], flow) && !IsUnused(tuple.Elements[1], flow);
            }

            // var svd = linalg.svd(A); ... svd.S ...: every read of the tuple takes S.
            case IVariableInitializerOperation { Parent: IVariableDeclaratorOperation declarator }:
            {
                var reads = context.Flow.ReferencesTo(declarator.Symbol);
                return context.Flow.DefinitionsOf(declarator.Symbol).Count == 1 && reads.Count > 0 &&
                    reads.All(r => r.Parent is IFieldReferenceOperation field && field.Field.CorrespondingTupleField?.Name == "Item2");
            }

            default:
                return false;
        }
    }

    private static bool IsUnused(IOperation element, ValueFlow flow) => element switch
    {
        IDiscardOperation => true,
        IDeclarationExpressionOperation declaration => IsUnused(declaration.Expression, flow),
        ILocalReferenceOperation { IsDeclaration: true } local => flow.ReferencesTo(local.Local).Count == 1,
        _ => false,
    };
}
