namespace SpectralGate.Engine.Metrics;

/// <summary>
/// Marchenko–Pastur law for W (N × M, N ≥ M, Q = N/M, entries of variance σ²): X = WᵀW/N has its eigenvalues on [λ₋, λ₊],
/// λ± = σ²(1 ± 1/√Q)², with density ρ(λ) = Q/(2πσ²λ)·√((λ₊−λ)(λ−λ₋)) (metrics-reference §5; WeightWatcher <c>RMT_Util</c>).
/// Spikes: λ/N &gt; λ₊ + q₀.₉₉·s with Johnstone's (2001) Tracy–Widom scale s = σ²(√N+√M)(1/√N+1/√M)^(1/3)/N and the TW₁ 99%
/// quantile q₀.₉₉ = 2.0234 (standard tables), in place of WeightWatcher's heuristic margin.
/// </summary>
public static class MarchenkoPastur
{
    /// <summary>99% quantile of the Tracy–Widom β = 1 law.</summary>
    public const double TracyWidom99 = 2.0234;

    /// <summary>λ₊ = σ²(1 + 1/√Q)², the upper bulk edge of WᵀW/N.</summary>
    public static double LambdaPlus(double sigma2, double q) => sigma2 * Square(1 + 1 / Math.Sqrt(q));

    /// <summary>λ₋ = σ²(1 − 1/√Q)², the lower bulk edge of WᵀW/N.</summary>
    public static double LambdaMinus(double sigma2, double q) => sigma2 * Square(1 - 1 / Math.Sqrt(q));

    /// <summary>The MP density ρ(λ) = Q/(2πσ²λ)·√((λ₊−λ)(λ−λ₋)) on (λ₋, λ₊), 0 outside; Q ≥ 1.</summary>
    public static double MpDensity(double lambda, double sigma2, double q)
    {
        double plus = LambdaPlus(sigma2, q), minus = LambdaMinus(sigma2, q);
        if (lambda <= minus || lambda >= plus || lambda <= 0) return 0;
        return q / (2 * Math.PI * sigma2 * lambda) * Math.Sqrt((plus - lambda) * (lambda - minus));
    }

    /// <summary>Johnstone's Tracy–Widom scale of λ_max of WᵀW/N, s = σ²(√N+√M)(1/√N+1/√M)^(1/3)/N.</summary>
    public static double TracyWidomScale(double sigma2, double n, double m) =>
        sigma2 * (Math.Sqrt(n) + Math.Sqrt(m)) * Math.Cbrt(1 / Math.Sqrt(n) + 1 / Math.Sqrt(m)) / n;

    /// <summary>
    /// Fits the bulk of a spectrum λ = σ(W)² (descending, no 1/N; possibly pooled from several N × M matrices).
    /// N and M are oriented so that N ≥ M. Null on a spectrum with no positive eigenvalue. <paramref name="zeroFloor"/>:
    /// λ at or below it is numerically zero (the numerical-rank floor); <see cref="MpSigmaEstimator.BulkMedian"/> fits the
    /// bulk on the eigenvalues above it only.
    /// </summary>
    public static MarchenkoPasturFit? Fit(ReadOnlySpan<double> eigenvaluesDescending, int n, int m, MpSigmaEstimator estimator = MpSigmaEstimator.BulkMedian,
        double zeroFloor = 0)
    {
        if (SpectrumSums.IsDegenerate(eigenvaluesDescending) || n <= 0 || m <= 0) return null;
        (n, m) = (Math.Max(n, m), Math.Min(n, m));
        if (estimator == MpSigmaEstimator.WeightWatcherFit) return WeightWatcherMpFit.Fit(eigenvaluesDescending, n, m);
        var normalised = new double[eigenvaluesDescending.Length];
        for (int i = 0; i < normalised.Length; i++) normalised[i] = Math.Max(0, eigenvaluesDescending[i]) / n;

        double sigma2, effectiveM = m;
        switch (estimator)
        {
            case MpSigmaEstimator.BulkMedian:
                (sigma2, effectiveM, _) = MarchenkoPasturMedian.Estimate(normalised, n, m, Math.Max(0, zeroFloor) / n);
                break;
            case MpSigmaEstimator.BulkTrimmedMean:
                sigma2 = BulkTrimmedMean(normalised, (double)n / m);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(estimator));
        }
        if (!(sigma2 > 0)) return null;

        double cut = MarchenkoPasturMedian.Cut(sigma2, n, effectiveM);
        int spikes = 0;
        while (spikes < normalised.Length && normalised[spikes] > cut) spikes++;
        double bulkMax = n * LambdaPlus(sigma2, n / effectiveM);
        return new MarchenkoPasturFit(Math.Sqrt(sigma2), bulkMax, n * cut, spikes, bulkMax / eigenvaluesDescending[0]);
    }

    /// <summary>σ² by the iteratively trimmed mean of descending λ/N (<see cref="MpSigmaEstimator.BulkTrimmedMean"/>).</summary>
    public static double BulkTrimmedMean(ReadOnlySpan<double> normalisedDescending, double q)
    {
        int len = normalisedDescending.Length;
        var suffix = new double[len + 1];
        for (int i = len - 1; i >= 0; i--) suffix[i] = suffix[i + 1] + normalisedDescending[i];
        int dropped = 0;
        double sigma2 = suffix[0] / len;
        while (true)
        {
            double edge = LambdaPlus(sigma2, q);
            int next = dropped;
            while (next < len - 1 && normalisedDescending[next] > edge) next++;
            if (next == dropped) return sigma2;
            dropped = next;
            sigma2 = suffix[dropped] / (len - dropped);
        }
    }

    private static double Square(double x) => x * x;
}
