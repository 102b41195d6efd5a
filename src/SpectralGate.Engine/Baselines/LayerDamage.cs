using SpectralGate.Engine.Names;
using SpectralGate.Engine.Signatures;

namespace SpectralGate.Engine.Baselines;

/// <summary>
/// How much one layer changed between two signatures: the largest factor max(actual / baseline, baseline / actual)
/// over the <see cref="RankingMetrics"/> both define as positive numbers. A factor, unlike a relative change, does
/// not saturate when a metric falls (a condition number from 10^6 to 10^4 is 100x, not 99%). It ranks the
/// layers of a quantization audit (<c>spectralgate diff model.safetensors model.Q4_0.gguf --by-damage</c>) whether or
/// not any is past tolerance.
/// </summary>
public sealed record LayerDamage(string Layer, string Metric, double Baseline, double Actual, double Factor)
{
    /// <summary>The weight error of the layer (<see cref="WeightError"/>) when both models' weights were at hand, else null.</summary>
    public WeightError? Error { get; init; }

    /// <summary>The ranking with each layer's <see cref="WeightError"/> from both models' weights, one layer at a time.</summary>
    public static IReadOnlyList<LayerDamage> WithErrors(IReadOnlyList<LayerDamage> ranked, Sources.ITensorSource baseline, Sources.ITensorSource actual)
    {
        var errors = WeightError.Compute(baseline, actual, ranked.Select(d => d.Layer));
        return ranked.Select(d => errors.TryGetValue(d.Layer, out var e) ? d with { Error = e } : d).ToList();
    }

    /// <summary>
    /// Metrics that are continuous functions of the singular values, so more weight noise moves them more. The
    /// power-law fit's parameters (alpha, xmin, num_tail, ...) jump when the fit picks another tail; they stay in
    /// the findings but would scramble a ranking.
    /// </summary>
    public static readonly IReadOnlyList<string> RankingMetrics =
    [
        Metrics.MetricNames.SpectralNorm, Metrics.MetricNames.FrobeniusNorm, Metrics.MetricNames.StableRank,
        Metrics.MetricNames.EffectiveRank, Metrics.MetricNames.SpectralEntropy, Metrics.MetricNames.ConditionNumber,
    ];

    /// <summary>The layers both signatures have with the same shape, most damaged first (ties by name).</summary>
    public static IReadOnlyList<LayerDamage> Rank(SpectralSignature baseline, SpectralSignature actual)
    {
        var actualLayers = actual.Layers.ToDictionary(l => l.Name, StringComparer.Ordinal);
        var ranked = new List<LayerDamage>();
        foreach (var expected in baseline.Layers)
        {
            if (!actualLayers.TryGetValue(expected.Name, out var layer) || !expected.Shape.SequenceEqual(layer.Shape)) continue;
            LayerDamage? worst = null;
            foreach (string metric in RankingMetrics)
            {
                if (expected[metric] is not double e || layer[metric] is not double a || !double.IsFinite(e) || !double.IsFinite(a) || e <= 0 || a <= 0) continue;
                double factor = Math.Max(a / e, e / a);
                if (worst is null || factor > worst.Factor) worst = new LayerDamage(expected.Name, metric, e, a, factor);
            }
            if (worst is not null) ranked.Add(worst);
        }
        return ranked.OrderByDescending(d => d.Factor).ThenBy(d => d.Layer, NaturalNameComparer.Instance).ToList();
    }
}
