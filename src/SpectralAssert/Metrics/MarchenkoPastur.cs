namespace SpectralAssert.Metrics;

/// <summary>How the noise level σ² of the Marchenko–Pastur bulk is estimated.</summary>
public enum MpSigmaEstimator
{
    /// <summary>
    /// Default. σ² = mean of the normalised eigenvalues, recomputed after dropping those above the bulk edge until
    /// nothing more is dropped: exact for a pure noise matrix (the mean eigenvalue of X = WᵀW/N is the entry variance).
    /// </summary>
    BulkTrimmedMean,

    /// <summary>
    /// WeightWatcher's <c>mp_fit</c>: scale so the mean eigenvalue is 1, grid σ over [0.05, 2]·σ₀ in steps of 0.01·σ₀
    /// (σ₀ = √(λ_max/(1+1/√Q)²)), and keep the σ whose MP density best matches a linear-kernel KDE (bandwidth 0.1)
    /// where the KDE is at least 0.01.
    /// </summary>
    WeightWatcherFit,
}

/// <param name="Sigma">σ̂: the estimated standard deviation of the entries of W.</param>
/// <param name="BulkMax">N·σ̂²(1+1/√Q)²: the bulk edge in λ units (comparable with λ_max).</param>
/// <param name="NumSpikes">λ/N above λ₊ plus a Tracy–Widom margin.</param>
/// <param name="SoftRank">BulkMax/λ_max.</param>
public sealed record MarchenkoPasturFit(double Sigma, double BulkMax, int NumSpikes, double SoftRank);

/// <summary>
/// Marchenko–Pastur bulk of W (N × M, N ≥ M, Q = N/M): X = WᵀW/N has its eigenvalues on [λ₋, λ₊] with
/// λ± = σ²(1 ± 1/√Q)² when W is noise of variance σ² (metrics-reference §5; WeightWatcher RMT_Util).
/// A spike counts when λ/N &gt; λ₊ + q₀.₉₉·s, with Johnstone's (2001) Tracy–Widom scale
/// s = σ²(√N+√M)(1/√N+1/√M)^(1/3)/N and the TW₁ 99% quantile q₀.₉₉ = 2.0234.
/// </summary>
public static class MarchenkoPastur
{
    public const double TracyWidom99 = 2.0234;

    public static double EdgeUpper(double sigma2, double q) => sigma2 * Math.Pow(1 + 1 / Math.Sqrt(q), 2);

    public static double EdgeLower(double sigma2, double q) => sigma2 * Math.Pow(1 - 1 / Math.Sqrt(q), 2);

    /// <summary>The MP density ρ(λ) = Q/(2πσ²λ)·√((λ₊−λ)(λ−λ₋)) on [λ₋, λ₊], 0 outside.</summary>
    public static double Density(double lambda, double sigma2, double q)
    {
        double plus = EdgeUpper(sigma2, q), minus = EdgeLower(sigma2, q);
        if (lambda <= minus || lambda >= plus || lambda <= 0) return 0;
        return q / (2 * Math.PI * sigma2 * lambda) * Math.Sqrt((plus - lambda) * (lambda - minus));
    }

    /// <summary>Tracy–Widom scale of λ_max of X = WᵀW/N (Johnstone 2001), in the units of X.</summary>
    public static double TracyWidomScale(double sigma2, int n, int m) =>
        sigma2 * (Math.Sqrt(n) + Math.Sqrt(m)) * Math.Cbrt(1 / Math.Sqrt(n) + 1 / Math.Sqrt(m)) / n;

    public static MarchenkoPasturFit? Fit(ReadOnlySpan<double> eigenvaluesDescending, int n, int m, MpSigmaEstimator estimator)
    {
        if (eigenvaluesDescending.Length == 0 || eigenvaluesDescending[0] <= 0 || n <= 0 || m <= 0) return null;
        double q = (double)n / m;
        var normalised = new double[eigenvaluesDescending.Length];
        for (int i = 0; i < normalised.Length; i++) normalised[i] = eigenvaluesDescending[i] / n;

        double sigma2 = estimator == MpSigmaEstimator.BulkTrimmedMean ? TrimmedMean(normalised, q) : WeightWatcherSigma2(normalised, q);
        if (!(sigma2 > 0)) return null;
        double edge = EdgeUpper(sigma2, q);
        double cut = edge + TracyWidom99 * TracyWidomScale(sigma2, n, m);
        int spikes = normalised.Count(l => l > cut);
        double bulkMax = n * edge;
        return new MarchenkoPasturFit(Math.Sqrt(sigma2), bulkMax, spikes, bulkMax / eigenvaluesDescending[0]);
    }

    private static double TrimmedMean(double[] normalised, double q)
    {
        int kept = normalised.Length;
        double sigma2 = normalised.Average();
        for (int iteration = 0; iteration < 100; iteration++)
        {
            double edge = EdgeUpper(sigma2, q);
            var bulk = normalised.Where(l => l <= edge).ToArray();
            if (bulk.Length == 0) return sigma2;
            double next = bulk.Average();
            if (bulk.Length == kept) return next;
            kept = bulk.Length;
            sigma2 = next;
        }
        return sigma2;
    }

    private static double WeightWatcherSigma2(double[] normalised, double q)
    {
        double scale = normalised.Average();
        if (!(scale > 0)) return double.NaN;
        var x = normalised.Select(l => l / scale).ToArray();
        double max = x.Max();
        double sigma0 = Math.Sqrt(max / Math.Pow(1 + 1 / Math.Sqrt(q), 2));
        const double bandwidth = 0.1;
        const int gridPoints = 200;
        double lo = 0, hi = max * 1.05;
        var grid = Enumerable.Range(0, gridPoints).Select(i => lo + (hi - lo) * (i + 0.5) / gridPoints).ToArray();
        var kde = grid.Select(g => x.Sum(v => Math.Max(0, 1 - Math.Abs(g - v) / bandwidth)) / (x.Length * bandwidth)).ToArray();

        double bestSigma = sigma0, bestResidual = double.PositiveInfinity;
        for (double s = 0.05 * sigma0; s <= 2 * sigma0 + 1e-12; s += 0.01 * sigma0)
        {
            double residual = 0;
            for (int i = 0; i < gridPoints; i++)
            {
                if (kde[i] < 0.01) continue;
                double d = kde[i] - Density(grid[i], s * s, q);
                residual += d * d;
            }
            if (residual < bestResidual) { bestResidual = residual; bestSigma = s; }
        }
        return bestSigma * bestSigma * scale;
    }
}
