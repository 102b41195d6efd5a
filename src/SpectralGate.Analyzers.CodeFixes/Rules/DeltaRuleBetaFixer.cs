using System.Composition;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;

namespace SpectralGate.Analyzers.CodeFixes.Rules;

/// <summary>SG0003: the flagged step size <c>beta</c> becomes <c>2 * beta</c>.</summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(DeltaRuleBetaFixer)), Shared]
public sealed class DeltaRuleBetaFixer : RescaleFixer
{
    public DeltaRuleBetaFixer()
        : base(RuleIdentifiers.DeltaRuleBetaInUnitInterval, "Scale beta to (0, 2): 2 * beta", minusOne: false)
    {
    }
}
