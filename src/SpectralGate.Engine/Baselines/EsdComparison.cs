using SpectralGate.Engine.Metrics;
using SpectralGate.Engine.Signatures;

namespace SpectralGate.Engine.Baselines;

/// <summary>
/// The distribution-level check of one layer: <see cref="EsdDistance"/> between the baseline's and the actual ESD
/// summaries, against the <c>esd_distance</c> tolerance (its absolute part; the baseline side of a distance is 0).
/// </summary>
public static class EsdComparison
{
    /// <summary>The distance, or null when either side has no summary (an older baseline, a sketched spectrum).</summary>
    public static double? Distance(LayerSignature expected, LayerSignature actual) =>
        expected.EsdQuantiles is { } b && actual.EsdQuantiles is { } a ? EsdDistance.Compute(b, a) : null;

    /// <summary>A regression when the distance is beyond tolerance; null when within it or not comparable.</summary>
    public static Finding? Compare(LayerSignature expected, LayerSignature actual, TolerancePolicy policy)
    {
        if (Distance(expected, actual) is not double d) return null;
        Tolerance tolerance = policy.Resolve(expected.Name, MetricNames.EsdDistance);
        return tolerance.Accepts(0, d) ? null
            : new Finding(FindingKind.Regression, expected.Name, MetricNames.EsdDistance, 0, d, tolerance, "beyond tolerance");
    }
}
