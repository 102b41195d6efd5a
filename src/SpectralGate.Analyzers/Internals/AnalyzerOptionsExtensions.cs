using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace SpectralGate.Analyzers.Internals;

/// <summary>
/// Options from <c>.editorconfig</c>: <c>dotnet_diagnostic.SGxxxx.key</c> for one rule wins over <c>spectralgate.key</c>
/// for all rules.
/// </summary>
internal static class AnalyzerOptionsExtensions
{
    public static string? GetOption(this AnalyzerOptions options, SyntaxTree tree, string ruleId, string key)
    {
        var config = options.AnalyzerConfigOptionsProvider.GetOptions(tree);
        if (config.TryGetValue("dotnet_diagnostic." + ruleId + "." + key, out var value) ||
            config.TryGetValue("spectralgate." + key, out value) ||
            options.AnalyzerConfigOptionsProvider.GlobalOptions.TryGetValue("spectralgate." + key, out value))
        {
            return value;
        }

        return null;
    }

    /// <summary>A comma- or space-separated list of fully qualified method names, <c>Namespace.Type.Method</c>.</summary>
    public static HashSet<string> GetMethodList(this AnalyzerOptions options, SyntaxTree tree, string ruleId, string key)
    {
        var value = options.GetOption(tree, ruleId, key);
        return value is null
            ? new HashSet<string>(StringComparer.Ordinal)
            : new HashSet<string>(value.Split(new[] { ',', ' ', ';' }, StringSplitOptions.RemoveEmptyEntries).Select(s => s.Trim()), StringComparer.Ordinal);
    }

    public static string QualifiedName(this ISymbol method) =>
        method.ContainingType.ToDisplayString(SymbolDisplayFormat.CSharpErrorMessageFormat.WithGenericsOptions(SymbolDisplayGenericsOptions.None)) + "." + method.Name;

    /// <summary>Marker attributes are matched by simple name in any namespace, so users may declare their own.</summary>
    public static bool HasAttributeNamed(this ISymbol symbol, string name)
    {
        foreach (var attribute in symbol.GetAttributes())
        {
            if (attribute.AttributeClass?.Name == name)
            {
                return true;
            }
        }

        return false;
    }
}
