namespace SpectralGate.Engine.Trajectories.Statistics;

/// <summary>
/// The Mann–Kendall trend test: S = Σ_{i&lt;j} sign(x_j − x_i), Var S = [n(n−1)(2n+5) − Σ_t t(t−1)(2t+5)]/18 over tie
/// groups of size t, Z = (S ∓ 1)/√Var S with continuity correction, normal approximation (Mann 1945, Kendall 1975;
/// Hipel &amp; McLeod 1994, §23.3). Assumes independent records: autocorrelated noise makes it fire too easily.
/// </summary>
public static class MannKendall
{
    public static MannKendallResult Test(DefinedSeries series)
    {
        ArgumentNullException.ThrowIfNull(series);
        int n = series.Count;
        IReadOnlyList<double> x = series.Values;
        long s = 0;
        for (int i = 0; i < n; i++)
            for (int j = i + 1; j < n; j++)
                s += Math.Sign(x[j] - x[i]);

        double variance = n * (n - 1.0) * (2.0 * n + 5.0);
        foreach (int t in TieGroupSizes(x))
            variance -= t * (t - 1.0) * (2.0 * t + 5.0);
        variance /= 18.0;

        double z = variance <= 0 ? 0 : s > 0 ? (s - 1) / Math.Sqrt(variance) : s < 0 ? (s + 1) / Math.Sqrt(variance) : 0;
        return new MannKendallResult(n, s, variance, z);
    }

    private static IEnumerable<int> TieGroupSizes(IReadOnlyList<double> values)
    {
        double[] sorted = values.ToArray();
        Array.Sort(sorted);
        int run = 1;
        for (int i = 1; i <= sorted.Length; i++)
        {
            if (i < sorted.Length && sorted[i] == sorted[i - 1]) { run++; continue; }
            if (run > 1) yield return run;
            run = 1;
        }
    }
}

/// <summary>The Mann–Kendall statistic of <paramref name="Count"/> records: S, its variance under no trend (ties corrected) and Z.</summary>
public readonly record struct MannKendallResult(int Count, long S, double Variance, double Z)
{
    /// <summary>One-sided p-value for a trend in <paramref name="direction"/>: P(Z ≥ z) up, P(Z ≤ z) down.</summary>
    public double PValue(TrendDirection direction) =>
        Variance <= 0 ? 1.0 : direction == TrendDirection.Up ? NormalDistribution.UpperTail(Z) : NormalDistribution.Cdf(Z);

    /// <summary>Two-sided p-value, 2·P(Z ≥ |z|).</summary>
    public double TwoSidedPValue => Variance <= 0 ? 1.0 : Math.Min(1.0, 2 * NormalDistribution.UpperTail(Math.Abs(Z)));
}
