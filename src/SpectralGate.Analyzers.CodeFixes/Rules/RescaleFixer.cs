using System.Collections.Immutable;
using System.Composition;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using SpectralGate.Analyzers.CodeFixes.Internals;

namespace SpectralGate.Analyzers.CodeFixes.Rules;

/// <summary>SG0003: replace the flagged (0, 1) step size by <c>2 * beta</c>.</summary>
public abstract class RescaleFixer : RuleFixer
{
    private readonly bool _minusOne;

    private protected RescaleFixer(string diagnosticId, string title, bool minusOne)
        : base(diagnosticId, title)
    {
        _minusOne = minusOne;
    }

    private protected sealed override void Register(CodeFixContext context, SyntaxNode root)
    {
        if (root.FindNode(context.Span, getInnermostNodeForTie: true) is not ExpressionSyntax flagged)
        {
            return;
        }

        var expression = Outermost(flagged);
        context.RegisterCodeFix(
            CodeAction.Create(Title, ct => ApplyAsync(context.Document, expression, ct), equivalenceKey: Title),
            context.Diagnostics);
    }

    private async Task<Document> ApplyAsync(Document document, ExpressionSyntax expression, CancellationToken cancellationToken)
    {
        var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        return document.WithSyntaxRoot(root!.ReplaceNode(expression, ExpressionRewriter.Rescale(expression, _minusOne)));
    }
}
