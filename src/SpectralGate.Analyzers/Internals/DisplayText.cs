using Microsoft.CodeAnalysis;

namespace SpectralGate.Analyzers.Internals;

internal static class DisplayText
{
    /// <summary>The operation's source on one line, cut at 40 characters so that messages stay short.</summary>
    public static string ShortText(this IOperation operation)
    {
        var text = string.Join(" ", operation.Syntax.ToString().Split(new[] { ' ', '\r', '\n', '\t' }, System.StringSplitOptions.RemoveEmptyEntries));
        return text.Length <= 40 ? text : text.Substring(0, 37) + "...";
    }
}
