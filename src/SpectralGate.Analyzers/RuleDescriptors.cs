using Microsoft.CodeAnalysis;

namespace SpectralGate.Analyzers;

/// <summary>The one factory for descriptors, so that every rule links to its documentation page.</summary>
internal static class RuleDescriptors
{
    public static DiagnosticDescriptor Create(string id, string title, string messageFormat, string category,
        DiagnosticSeverity severity, string description, bool isEnabledByDefault = true) =>
        new(id, title, messageFormat, category, severity, isEnabledByDefault, description,
            helpLinkUri: RuleIdentifiers.GetHelpUri(id));
}
