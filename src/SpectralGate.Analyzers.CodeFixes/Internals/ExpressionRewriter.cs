using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Formatting;
using Microsoft.CodeAnalysis.Simplification;

namespace SpectralGate.Analyzers.CodeFixes.Internals;

internal static class ExpressionRewriter
{
    /// <summary><c>2 * e</c>, or <c>2 * e - 1</c>; parenthesised where the context needs it.</summary>
    public static ExpressionSyntax Rescale(ExpressionSyntax expression, bool minusOne)
    {
        var operand = NeedsParentheses(expression)
            ? SyntaxFactory.ParenthesizedExpression(expression.WithoutTrivia())
            : expression.WithoutTrivia();
        ExpressionSyntax result = SyntaxFactory.BinaryExpression(SyntaxKind.MultiplyExpression, Literal(2), operand);
        if (minusOne)
        {
            result = SyntaxFactory.BinaryExpression(SyntaxKind.SubtractExpression, result, Literal(1));
        }

        result = expression.Parent is ExpressionSyntax and not (ParenthesizedExpressionSyntax or AssignmentExpressionSyntax or LambdaExpressionSyntax)
            ? SyntaxFactory.ParenthesizedExpression(result)
            : result;
        return result.WithTriviaFrom(expression).WithAdditionalAnnotations(Formatter.Annotation, Simplifier.Annotation);
    }

    private static bool NeedsParentheses(ExpressionSyntax expression) =>
        expression is not (InvocationExpressionSyntax or MemberAccessExpressionSyntax or IdentifierNameSyntax or
            ElementAccessExpressionSyntax or ParenthesizedExpressionSyntax or LiteralExpressionSyntax);

    private static LiteralExpressionSyntax Literal(int value) =>
        SyntaxFactory.LiteralExpression(SyntaxKind.NumericLiteralExpression, SyntaxFactory.Literal(value));
}
