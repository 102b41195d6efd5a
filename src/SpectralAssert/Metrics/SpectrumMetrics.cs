namespace SpectralAssert.Metrics;

/// <summary>All metrics of one (pooled) spectrum, and the health labels they imply.</summary>
public sealed record SpectrumMetricsResult(SortedDictionary<string, double?> Values, IReadOnlyList<string> Labels);

/// <summary>Computes every spectrum metric of a layer from its eigenvalues λ = σ² (descending) and its shape N ≥ M.</summary>
public static class SpectrumMetrics
{
    public static SpectrumMetricsResult Compute(double[] eigenvaluesDescending, int n, int m, MetricOptions options, bool float32 = false)
    {
        var values = new SortedDictionary<string, double?>(StringComparer.Ordinal);
        ReadOnlySpan<double> ev = eigenvaluesDescending;
        if (ev.Length == 0 || ev[0] <= 0)
        {
            foreach (string name in AllNames) values[name] = null;
            values[MetricNames.NumericalRank] = 0;
            return new SpectrumMetricsResult(values, [HealthLabels.Degenerate]);
        }

        int rank = NumericalRank.Compute(ev, n, m, float32);
        values[MetricNames.SpectralNorm] = SpectralNorm.Compute(ev);
        values[MetricNames.FrobeniusNorm] = FrobeniusNorm.Compute(ev);
        values[MetricNames.StableRank] = StableRank.Compute(ev);
        values[MetricNames.EffectiveRank] = EffectiveRank.Compute(ev);
        values[MetricNames.NumericalRank] = rank;
        values[MetricNames.SpectralEntropy] = SpectralEntropy.Compute(ev, rank);
        values[MetricNames.ConditionNumber] = ConditionNumber.Compute(ev, rank);
        values[MetricNames.LogSpectralNorm] = LogSpectralNorm.Compute(ev);
        values[MetricNames.LogNorm] = LogNorm.Compute(ev);

        var fit = PowerLawFit.Fit(ev, options.PowerLawThreshold, options.PowerLawMinEigenvalues);
        values[MetricNames.Alpha] = fit?.Alpha;
        values[MetricNames.Xmin] = fit?.Xmin;
        values[MetricNames.KsDistance] = fit?.KsDistance;
        values[MetricNames.AlphaStdErr] = fit?.AlphaStdErr;
        values[MetricNames.NumTail] = fit?.NumTail;
        values[MetricNames.AlphaWeighted] = fit is null ? null : fit.Alpha * Math.Log10(ev[0]);

        var mp = MarchenkoPastur.Fit(ev, n, m, options.MpEstimator);
        values[MetricNames.MpSigma] = mp?.Sigma;
        values[MetricNames.MpBulkMax] = mp?.BulkMax;
        values[MetricNames.NumSpikes] = mp?.NumSpikes;
        values[MetricNames.MpSoftRank] = mp?.SoftRank;

        var labels = HealthLabels.Classify(fit?.Alpha, rank, values[MetricNames.StableRank], m);
        return new SpectrumMetricsResult(values, labels);
    }

    private static readonly string[] AllNames =
    [
        MetricNames.SpectralNorm, MetricNames.FrobeniusNorm, MetricNames.StableRank, MetricNames.EffectiveRank,
        MetricNames.SpectralEntropy, MetricNames.ConditionNumber, MetricNames.LogSpectralNorm, MetricNames.LogNorm,
        MetricNames.Alpha, MetricNames.Xmin, MetricNames.KsDistance, MetricNames.AlphaStdErr, MetricNames.NumTail,
        MetricNames.AlphaWeighted, MetricNames.MpSigma, MetricNames.MpBulkMax, MetricNames.NumSpikes, MetricNames.MpSoftRank,
    ];
}
