namespace SpectralGate.Engine.Metrics;

/// <summary>
/// The default σ² of the Marchenko–Pastur bulk (<see cref="MpSigmaEstimator.BulkMedian"/>), built not to collapse on
/// rank-deficient or low-rank layers:
/// <list type="number">
/// <item>Only the nonzero eigenvalues (above the numerical-rank floor) are the bulk; their count r gives the effective
/// aspect ratio y = (r per matrix)/N. The zero eigenvalues of W = AB (inner rank r) say nothing about the noise and would
/// otherwise drag σ̂ to round-off.</item>
/// <item>σ̂² = λ_med/F⁻¹(p), the median nonzero eigenvalue over the MP quantile it sits at (Gavish &amp; Donoho 2014 use the
/// same median rule). A spike moves the median by half a position, so σ̂ cannot shrink with the spikes.</item>
/// <item>Spikes are the eigenvalues above the Tracy–Widom edge λ₊ + 2.0234·s. One correction follows: with k spikes found,
/// the median is the bulk's F⁻¹((r − ⌊r/2⌋ − ½)/(r − k)) quantile, not its ½ one, and σ̂² is recomputed once (no iteration,
/// so no cascade). The median itself is below λ₊ at either step, hence never more than ⌊r/2⌋ spikes.</item>
/// </list>
/// </summary>
public static class MarchenkoPasturMedian
{
    /// <summary>σ² with the effective M and spike cut it implies; NaN when nothing is above <paramref name="zeroFloor"/>.</summary>
    /// <param name="normalisedDescending">λ/N, descending, possibly pooled from several N × M matrices.</param>
    /// <param name="n">N, the larger side.</param>
    /// <param name="m">M, the smaller side (eigenvalues per matrix).</param>
    /// <param name="zeroFloor">λ/N at or below this is numerically zero (the numerical-rank floor over N).</param>
    public static (double Sigma2, double EffectiveM, double Cut) Estimate(ReadOnlySpan<double> normalisedDescending, int n, int m, double zeroFloor)
    {
        int rank = 0;
        while (rank < normalisedDescending.Length && normalisedDescending[rank] > zeroFloor) rank++;
        if (rank == 0) return (double.NaN, m, double.NaN);
        double effectiveM = (double)m * rank / normalisedDescending.Length;
        double y = Math.Min(1, effectiveM / n);

        int medianIndex = rank / 2;
        double median = normalisedDescending[medianIndex];
        double below = rank - 1 - medianIndex + 0.5;
        double sigma2 = median / MarchenkoPasturQuantile.Quantile(below / rank, y);
        int spikes = Spikes(normalisedDescending, Cut(sigma2, n, effectiveM), medianIndex);
        if (spikes > 0) sigma2 = median / MarchenkoPasturQuantile.Quantile(below / (rank - spikes), y);
        return (sigma2, effectiveM, Cut(sigma2, n, effectiveM));
    }

    /// <summary>λ₊ + 2.0234·s for N × M with σ², M possibly fractional (an effective rank per matrix).</summary>
    public static double Cut(double sigma2, double n, double m) =>
        MarchenkoPastur.LambdaPlus(sigma2, n / m) + MarchenkoPastur.TracyWidom99 * MarchenkoPastur.TracyWidomScale(sigma2, n, m);

    private static int Spikes(ReadOnlySpan<double> normalisedDescending, double cut, int limit)
    {
        int spikes = 0;
        while (spikes < limit && normalisedDescending[spikes] > cut) spikes++;
        return spikes;
    }
}
