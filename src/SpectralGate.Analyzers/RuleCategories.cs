namespace SpectralGate.Analyzers;

internal static class RuleCategories
{
    /// <summary>The model's spectrum, and so its trainability or expressivity, is at risk.</summary>
    public const string Spectral = "Spectral";

    /// <summary>The result is right but the computation does work it throws away.</summary>
    public const string Performance = "Performance";
}
