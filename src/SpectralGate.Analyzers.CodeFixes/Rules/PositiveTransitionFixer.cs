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
using Microsoft.CodeAnalysis.Editing;
using Microsoft.CodeAnalysis.Formatting;
using SpectralGate.Analyzers.CodeFixes.Internals;

namespace SpectralGate.Analyzers.CodeFixes.Rules;

/// <summary>
/// SG0002: map the decay to (-1, 1) as <c>2 * a - 1</c>, only where the analyzer found it safe: in place when the
/// value is used only as the transition, otherwise through a new local used at the transition alone.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(PositiveTransitionFixer)), Shared]
public sealed class PositiveTransitionFixer : RuleFixer
{
    public PositiveTransitionFixer()
        : base(RuleIdentifiers.PositiveOnlyTransition, "Map the transition to (-1, 1): 2 * a - 1")
    {
    }

    private protected override void Register(CodeFixContext context, SyntaxNode root)
    {
        foreach (var diagnostic in context.Diagnostics)
        {
            diagnostic.Properties.TryGetValue(FixProperties.Key, out var mode);
            if (mode == FixProperties.Inline && root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true) is ExpressionSyntax flagged)
            {
                var expression = Outermost(flagged);
                context.RegisterCodeFix(
                    CodeAction.Create(Title, ct => Task.FromResult(context.Document.WithSyntaxRoot(root.ReplaceNode(expression, ExpressionRewriter.Rescale(expression, minusOne: true)))), equivalenceKey: Title),
                    diagnostic);
            }
            else if (mode == FixProperties.NewLocal && diagnostic.AdditionalLocations.Count >= 2 &&
                     root.FindNode(diagnostic.AdditionalLocations[0].SourceSpan) is LocalDeclarationStatementSyntax declaration &&
                     diagnostic.AdditionalLocations.Skip(1).Select(l => root.FindNode(l.SourceSpan, getInnermostNodeForTie: true) as IdentifierNameSyntax).ToList() is var uses &&
                     uses.All(u => u is not null))
            {
                context.RegisterCodeFix(
                    CodeAction.Create(Title, ct => AddSignedLocalAsync(context.Document, declaration, uses!, ct), equivalenceKey: Title),
                    diagnostic);
            }
        }
    }

    private static async Task<Document> AddSignedLocalAsync(Document document, LocalDeclarationStatementSyntax declaration, System.Collections.Generic.List<IdentifierNameSyntax> uses, CancellationToken cancellationToken)
    {
        var use = uses[0];
        var editor = await DocumentEditor.CreateAsync(document, cancellationToken).ConfigureAwait(false);
        var name = FreeName(declaration, use.Identifier.ValueText + "Signed");
        // The declaration's own indentation and line ending, without any comment above it.
        var indentation = declaration.GetLeadingTrivia().Reverse().TakeWhile(t => t.IsKind(SyntaxKind.WhitespaceTrivia)).Reverse();
        var statement = SyntaxFactory.ParseStatement($"var {name} = 2 * {use.Identifier.ValueText} - 1;")
            .WithLeadingTrivia(indentation)
            .WithTrailingTrivia(declaration.GetTrailingTrivia().Where(t => t.IsKind(SyntaxKind.EndOfLineTrivia)))
            .WithAdditionalAnnotations(Formatter.Annotation);
        editor.InsertAfter(declaration, statement);
        foreach (var each in uses)
        {
            editor.ReplaceNode(each, SyntaxFactory.IdentifierName(name).WithTriviaFrom(each));
        }

        return editor.GetChangedDocument();
    }

    /// <summary>The first of name, name2, name3, ... that no identifier in the enclosing member already uses.</summary>
    private static string FreeName(SyntaxNode at, string name)
    {
        var member = at.FirstAncestorOrSelf<MemberDeclarationSyntax>() ?? at;
        var used = member.DescendantTokens().Where(t => t.IsKind(SyntaxKind.IdentifierToken)).Select(t => t.ValueText).ToImmutableHashSet();
        var candidate = name;
        for (var i = 2; used.Contains(candidate); i++)
        {
            candidate = name + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        return candidate;
    }
}
