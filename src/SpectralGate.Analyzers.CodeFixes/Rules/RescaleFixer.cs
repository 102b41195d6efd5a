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
public abstract class RescaleFixer : CodeFixProvider
{
    private readonly string _title;
    private readonly bool _minusOne;

    protected RescaleFixer(string title, bool minusOne)
    {
        _title = title;
        _minusOne = minusOne;
    }

    public sealed override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    public sealed override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        if (root?.FindNode(context.Span, getInnermostNodeForTie: true) is not ExpressionSyntax expression)
        {
            return;
        }

        while (expression.Parent is ExpressionSyntax parent && parent.Span == expression.Span)
        {
            expression = parent;
        }

        context.RegisterCodeFix(
            CodeAction.Create(_title, ct => ApplyAsync(context.Document, expression, ct), equivalenceKey: _title),
            context.Diagnostics);
    }

    private async Task<Document> ApplyAsync(Document document, ExpressionSyntax expression, CancellationToken cancellationToken)
    {
        var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        return document.WithSyntaxRoot(root!.ReplaceNode(expression, ExpressionRewriter.Rescale(expression, _minusOne)));
    }
}

[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(DeltaRuleBetaFixer)), Shared]
public sealed class DeltaRuleBetaFixer : RescaleFixer
{
    public DeltaRuleBetaFixer()
        : base("Scale beta to (0, 2): 2 * beta", minusOne: false)
    {
    }

    public override ImmutableArray<string> FixableDiagnosticIds => ImmutableArray.Create(RuleIdentifiers.DeltaRuleBetaInUnitInterval);
}
