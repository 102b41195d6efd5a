namespace SpectralGate.Engine.Metrics;

/// <summary>
/// Correlation traps (Martin &amp; Mahoney; WeightWatcher's <c>randomize=True</c>): the ESD of W with its elements shuffled
/// keeps only what single large elements make. A spike left in that randomized ESD is a trap; the distance between the
/// actual and randomized ESDs is how much structure the layer holds beyond its elements' distribution (docs/metrics.md).
/// </summary>
public static class CorrelationTraps
{
    /// <summary>JSON key of <see cref="RandDistanceOf"/>.</summary>
    public const string RandDistance = MetricNames.RandDistance;

    /// <summary>JSON key of <see cref="RandSpikes"/>.</summary>
    public const string NumRandSpikes = MetricNames.NumRandSpikes;

    /// <summary>
    /// WeightWatcher's <c>rand_distance</c>, <c>jensen_shannon_distance(evals, rand_evals)</c> (RMT_Util.py): both spectra
    /// sorted the same way and normalised to sum 1 (p_i = λ_i/Σλ), then √JSD(p, q) with JSD = ½KL(p‖m) + ½KL(q‖m),
    /// m = (p+q)/2, natural logs. In [0, √ln 2 ≈ 0.833]. Null when the lengths differ or a spectrum is all zero.
    /// </summary>
    public static double? RandDistanceOf(ReadOnlySpan<double> eigenvaluesDescending, ReadOnlySpan<double> randomizedDescending)
    {
        if (eigenvaluesDescending.Length != randomizedDescending.Length || eigenvaluesDescending.Length == 0) return null;
        double sp = 0, sq = 0;
        for (int i = 0; i < eigenvaluesDescending.Length; i++)
        {
            sp += Math.Max(0, eigenvaluesDescending[i]);
            sq += Math.Max(0, randomizedDescending[i]);
        }
        if (!(sp > 0) || !(sq > 0)) return null;
        double divergence = 0;
        for (int i = 0; i < eigenvaluesDescending.Length; i++)
        {
            double p = Math.Max(0, eigenvaluesDescending[i]) / sp, q = Math.Max(0, randomizedDescending[i]) / sq, m = (p + q) / 2;
            if (p > 0) divergence += p * Math.Log(p / m) / 2;
            if (q > 0) divergence += q * Math.Log(q / m) / 2;
        }
        return Math.Sqrt(Math.Max(0, divergence));
    }

    /// <summary>
    /// Eigenvalues of one randomized N × M matrix beyond its Marchenko–Pastur edge: λ/N &gt; λ₊ + q₀.₉₉·s
    /// (<see cref="MarchenkoPastur"/>), with σ² = ‖W‖²_F/(N·M) = Σλ/(N·M), the exact second moment of the shuffled
    /// elements: no fit, since shuffled elements are exchangeable.
    /// </summary>
    public static int RandSpikes(ReadOnlySpan<double> randomizedDescending, int rows, int cols)
    {
        int n = Math.Max(rows, cols), m = Math.Min(rows, cols);
        double sum = 0;
        foreach (double l in randomizedDescending) sum += Math.Max(0, l);
        if (!(sum > 0)) return 0;
        double sigma2 = sum / ((double)n * m);
        double cut = n * (MarchenkoPastur.LambdaPlus(sigma2, (double)n / m) + MarchenkoPastur.TracyWidom99 * MarchenkoPastur.TracyWidomScale(sigma2, n, m));
        int spikes = 0;
        while (spikes < randomizedDescending.Length && randomizedDescending[spikes] > cut) spikes++;
        return spikes;
    }

    /// <summary>The <see cref="HealthLabels.CorrelationTrap"/> threshold: at least this many randomized spikes.</summary>
    public const int TrapSpikes = 1;
}
