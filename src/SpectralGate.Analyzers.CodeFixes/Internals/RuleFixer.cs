using System.Collections.Immutable;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace SpectralGate.Analyzers.CodeFixes.Internals;

/// <summary>
/// What every fixer shares: it fixes one rule's diagnostics with one titled action (the title is also the
/// equivalence key), fixes all of them in a batch, and starts from the document's syntax root.
/// </summary>
public abstract class RuleFixer : CodeFixProvider
{
    private readonly ImmutableArray<string> _ids;

    private protected RuleFixer(string diagnosticId, string title)
    {
        _ids = ImmutableArray.Create(diagnosticId);
        Title = title;
    }

    /// <summary>The action's title and equivalence key.</summary>
    protected string Title { get; }

    public sealed override ImmutableArray<string> FixableDiagnosticIds => _ids;

    public sealed override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    public sealed override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        if (root is not null)
        {
            Register(context, root);
        }
    }

    private protected abstract void Register(CodeFixContext context, SyntaxNode root);

    /// <summary>The outermost expression with the same span as <paramref name="expression"/>, the one to replace.</summary>
    private protected static ExpressionSyntax Outermost(ExpressionSyntax expression)
    {
        while (expression.Parent is ExpressionSyntax parent && parent.Span == expression.Span)
        {
            expression = parent;
        }

        return expression;
    }
}
