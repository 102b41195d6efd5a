using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Formatting;
using SpectralGate.Analyzers.CodeFixes.Internals;

namespace SpectralGate.Analyzers.CodeFixes.Rules;

/// <summary>
/// SG0005: <c>var (_, s, _) = linalg.svd(a);</c> becomes <c>var s = linalg.svdvals(a);</c>, and a tuple local read
/// only for S keeps its name and holds the singular values.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(FullSvdFixer)), Shared]
public sealed class FullSvdFixer : RuleFixer
{
    public FullSvdFixer()
        : base(RuleIdentifiers.FullSvdForSingularValues, "Use linalg.svdvals")
    {
    }

    private protected override void Register(CodeFixContext context, SyntaxNode root)
    {
        if (root.FindNode(context.Span, getInnermostNodeForTie: true)?.FirstAncestorOrSelf<InvocationExpressionSyntax>() is not { } invocation ||
            Rename(invocation) is null)
        {
            return;
        }

        if (LocalResultReplacement(invocation) is { } local)
        {
            context.RegisterCodeFix(
                CodeAction.Create(Title, ct => Task.FromResult(context.Document.WithSyntaxRoot(root.ReplaceNodes(local.Keys, (old, _) => local[old]))), equivalenceKey: Title),
                context.Diagnostics);
            return;
        }

        var replaced = Replacement(invocation);
        if (replaced is null)
        {
            return;
        }

        context.RegisterCodeFix(
            CodeAction.Create(Title, ct => ApplyAsync(context.Document, replaced.Value.Old, replaced.Value.New, ct), equivalenceKey: Title),
            context.Diagnostics);
    }

    /// <summary>
    /// <c>var r = linalg.svd(a); ... r.S ...</c> becomes <c>var r = linalg.svdvals(a); ... r ...</c>: the call and every
    /// <c>r.S</c> / <c>r.Item2</c> in the declaring block (the analyzer reports only when those are all the reads).
    /// </summary>
    private static System.Collections.Generic.Dictionary<SyntaxNode, SyntaxNode>? LocalResultReplacement(InvocationExpressionSyntax invocation)
    {
        if (invocation.Parent is not EqualsValueClauseSyntax { Parent: VariableDeclaratorSyntax declarator } ||
            declarator.FirstAncestorOrSelf<BlockSyntax>() is not { } block)
        {
            return null;
        }

        var name = declarator.Identifier.ValueText;
        var result = new System.Collections.Generic.Dictionary<SyntaxNode, SyntaxNode> { [invocation] = Rename(invocation)!.WithTriviaFrom(invocation) };
        foreach (var read in block.DescendantNodes().OfType<MemberAccessExpressionSyntax>())
        {
            if (read.Expression is IdentifierNameSyntax { Identifier.ValueText: var text } identifier && text == name &&
                read.Name.Identifier.ValueText is "S" or "Item2")
            {
                result[read] = identifier.WithTriviaFrom(read);
            }
        }

        return result.Count > 1 ? result : null;
    }

    private static async Task<Document> ApplyAsync(Document document, SyntaxNode oldNode, SyntaxNode newNode, CancellationToken cancellationToken)
    {
        var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        return document.WithSyntaxRoot(root!.ReplaceNode(oldNode, newNode.WithAdditionalAnnotations(Formatter.Annotation)));
    }

    private static (SyntaxNode Old, SyntaxNode New)? Replacement(InvocationExpressionSyntax invocation)
    {
        var svdvals = Rename(invocation)!;
        switch (invocation.Parent)
        {
            // linalg.svd(a).S / .Item2
            case MemberAccessExpressionSyntax member when member.Expression == invocation:
                return (member, svdvals.WithTriviaFrom(member));

            // var (_, s, _) = ...;  (var u, var s, var vh) = ...;
            case AssignmentExpressionSyntax { Parent: ExpressionStatementSyntax statement } assignment when assignment.Right == invocation:
            {
                var name = SingularValuesName(assignment.Left);
                if (name is null)
                {
                    return null;
                }

                var declaration = SyntaxFactory.LocalDeclarationStatement(
                    SyntaxFactory.VariableDeclaration(
                        SyntaxFactory.IdentifierName("var"),
                        SyntaxFactory.SingletonSeparatedList(
                            SyntaxFactory.VariableDeclarator(name.Value).WithInitializer(SyntaxFactory.EqualsValueClause(svdvals)))));
                return (statement, declaration.WithTriviaFrom(statement));
            }

            default:
                return null;
        }
    }

    private static SyntaxToken? SingularValuesName(ExpressionSyntax left)
    {
        var designation = left switch
        {
            DeclarationExpressionSyntax { Designation: ParenthesizedVariableDesignationSyntax p } when p.Variables.Count == 3 => p.Variables[1],
            TupleExpressionSyntax { Arguments.Count: 3 } t when t.Arguments[1].Expression is DeclarationExpressionSyntax d => d.Designation,
            _ => null,
        };
        return designation is SingleVariableDesignationSyntax single ? single.Identifier : null;
    }

    /// <summary>The same call with <c>svdvals</c> for <c>svd</c>, keeping the receiver and the matrix argument only.</summary>
    private static InvocationExpressionSyntax? Rename(InvocationExpressionSyntax invocation)
    {
        ExpressionSyntax? callee = invocation.Expression switch
        {
            MemberAccessExpressionSyntax { Name.Identifier.ValueText: "svd" } member => member.WithName(SyntaxFactory.IdentifierName("svdvals")),
            IdentifierNameSyntax { Identifier.ValueText: "svd" } => SyntaxFactory.IdentifierName("svdvals").WithTriviaFrom(invocation.Expression),
            _ => null,
        };
        if (callee is null || invocation.ArgumentList.Arguments.Count == 0)
        {
            return null;
        }

        var matrix = invocation.ArgumentList.Arguments.First().WithNameColon(null);
        return invocation.WithExpression(callee).WithArgumentList(SyntaxFactory.ArgumentList(SyntaxFactory.SingletonSeparatedList(matrix)));
    }
}
