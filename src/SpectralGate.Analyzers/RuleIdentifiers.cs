using System.Globalization;

namespace SpectralGate.Analyzers;

internal static class RuleIdentifiers
{
    public const string UnconstrainedResidualMixer = "SG0001";
    public const string PositiveOnlyTransition = "SG0002";
    public const string DeltaRuleBetaInUnitInterval = "SG0003";
    public const string EighOnUnknownSymmetry = "SG0004";
    public const string FullSvdForSingularValues = "SG0005";
    public const string DecompositionInForward = "SG0006";

    public const string HelpUriBase = "https://github.com/spectralgate/spectralgate/blob/main/docs/rules/";

    public static string GetHelpUri(string identifier) =>
        string.Format(CultureInfo.InvariantCulture, "{0}{1}.md", HelpUriBase, identifier);
}
