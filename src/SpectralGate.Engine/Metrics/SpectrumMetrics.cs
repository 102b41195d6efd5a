namespace SpectralGate.Engine.Metrics;

/// <summary>
/// Every metric of a layer's spectrum λ = σ² (descending, ≥ 0, no 1/N, possibly pooled over the kernel positions of a conv
/// layer) and the health labels they imply. <c>alpha_farms</c> needs the matrix itself and is added by the engine.
/// </summary>
public static class SpectrumMetrics
{
    /// <summary>Every key <see cref="Compute"/> writes.</summary>
    public static IReadOnlyList<string> Names { get; } =
    [
        MetricNames.Alpha, MetricNames.AlphaStdErr, MetricNames.AlphaWeighted, MetricNames.ConditionNumber, MetricNames.EffectiveRank,
        MetricNames.FrobeniusNorm, MetricNames.KsDistance, MetricNames.LogNorm, MetricNames.LogSpectralNorm, MetricNames.MpBulkMax,
        MetricNames.MpSigma, MetricNames.MpSoftRank, MetricNames.NumSpikes, MetricNames.NumTail, MetricNames.NumericalRank,
        MetricNames.SpectralEntropy, MetricNames.SpectralNorm, MetricNames.StableRank, MetricNames.Xmin,
    ];

    /// <summary>The metrics a float32 spectrum cannot resolve (they depend on the smallest eigenvalues), written as null.</summary>
    public static IReadOnlyList<string> Float32Undefined { get; } = [MetricNames.ConditionNumber, MetricNames.NumericalRank, MetricNames.SpectralEntropy];

    /// <param name="eigenvaluesDescending">λ = σ², sorted descending.</param>
    /// <param name="n">Rows of the matrix (of each pooled matrix); swapped with <paramref name="m"/> when smaller.</param>
    /// <param name="m">Columns of the matrix.</param>
    /// <param name="options">Null for the defaults.</param>
    /// <param name="float32">
    /// True when the spectrum was computed in float32: <c>numerical_rank</c>, <c>condition_number</c> and
    /// <c>spectral_entropy</c> are then null (<see cref="Float32Undefined"/>); the rank_collapse label uses the float32 floor.
    /// </param>
    /// <param name="nonFinite">True when the weights held NaN or Inf: every metric is null, labelled <c>non_finite</c>.</param>
    /// <returns>
    /// Every key of <see cref="Names"/>; null where undefined (alpha and its companions with too few eigenvalues). A spectrum
    /// with no positive eigenvalue gives nulls, <c>numerical_rank</c> 0 and the label <c>degenerate</c>.
    /// </returns>
    public static SpectrumMetricsResult Compute(double[] eigenvaluesDescending, int n, int m, MetricOptions? options = null,
        bool float32 = false, bool nonFinite = false)
    {
        ArgumentNullException.ThrowIfNull(eigenvaluesDescending);
        options ??= new MetricOptions();
        (n, m) = (Math.Max(n, m), Math.Min(n, m));
        var values = new SortedDictionary<string, double?>(StringComparer.Ordinal);
        foreach (string name in Names) values[name] = null;
        if (nonFinite) return new SpectrumMetricsResult(values, [HealthLabels.NonFinite]);

        ReadOnlySpan<double> ev = eigenvaluesDescending;
        if (SpectrumSums.IsDegenerate(ev))
        {
            values[MetricNames.NumericalRank] = 0;
            return new SpectrumMetricsResult(values, [HealthLabels.Degenerate]);
        }

        int rank = NumericalRank.Compute(ev, n, m, float32, options.RankConvention);
        double stableRank = StableRank.Compute(ev);
        values[MetricNames.SpectralNorm] = SpectralNorm.Compute(ev);
        values[MetricNames.FrobeniusNorm] = FrobeniusNorm.Compute(ev);
        values[MetricNames.StableRank] = stableRank;
        values[MetricNames.EffectiveRank] = EffectiveRank.Compute(ev);
        // A float32 Gram's eigenvalues carry an absolute error near ε₃₂·λ_max, far above the rank floor: the rank, σ_min
        // and the entropy normalised by ln(rank) would measure that error, not the matrix (2048² Gaussian: rank 2007
        // and κ 63.5 against 2048 and 11,572 in float64), so they are written as undefined.
        if (!float32)
        {
            values[MetricNames.NumericalRank] = rank;
            values[MetricNames.SpectralEntropy] = SpectralEntropy.Compute(ev, rank);
            values[MetricNames.ConditionNumber] = ConditionNumber.Compute(ev, rank);
        }
        values[MetricNames.LogSpectralNorm] = LogSpectralNorm.Compute(ev);
        values[MetricNames.LogNorm] = LogNorm.Compute(ev);

        var fit = PowerLawFit.Fit(ev, options.PowerLaw);
        values[MetricNames.Alpha] = fit?.Alpha;
        values[MetricNames.Xmin] = fit?.Xmin;
        values[MetricNames.KsDistance] = fit?.KsDistance;
        values[MetricNames.AlphaStdErr] = fit?.AlphaStdErr;
        values[MetricNames.NumTail] = fit?.NumTail;
        values[MetricNames.AlphaWeighted] = fit is null ? null : AlphaWeighted.Compute(fit.Alpha, ev[0]);

        var mp = MarchenkoPastur.Fit(ev, n, m, options.MpEstimator, NumericalRank.EigenvalueFloor(ev, n, m, float32, options.RankConvention));
        values[MetricNames.MpSigma] = mp?.Sigma;
        values[MetricNames.MpBulkMax] = mp?.BulkMax;
        values[MetricNames.NumSpikes] = mp?.NumSpikes;
        values[MetricNames.MpSoftRank] = mp?.SoftRank;

        var labels = HealthLabels.Classify(values, rank, stableRank, ev.Length, m, options.Health);
        return new SpectrumMetricsResult(values, labels);
    }
}
