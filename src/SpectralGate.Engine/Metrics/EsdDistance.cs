namespace SpectralGate.Engine.Metrics;

/// <summary>
/// <c>esd_distance</c>: the Kolmogorov–Smirnov distance between two ESD summaries (<see cref="EsdQuantiles"/>),
/// sup over x of |F_b(x) − F_a(x)|, where each F is the CDF of log10 λ that the summary describes: the points
/// (log10 q_k, k / (K − 1)) joined by straight lines, 0 below the first quantile and 1 above the last. It is the largest
/// difference, over any threshold, in the fraction of eigenvalues below it: 0 for the same spectrum, 1 for disjoint
/// ones, log10(c) / (decades spanned) for a log-uniform spectrum scaled by c. The two summaries may have different
/// lengths. docs/metrics.md defines it; docs/tolerances.md measures it.
/// </summary>
public static class EsdDistance
{
    public static double Compute(IReadOnlyList<double> baseline, IReadOnlyList<double> actual)
    {
        double[] b = Logs(baseline), a = Logs(actual);
        double sup = 0;
        // Both CDFs are linear between the union of their knots, so the supremum is at a knot, from one side or the other.
        foreach (double[] knots in new[] { b, a })
            foreach (double x in knots)
                sup = Math.Max(sup, Math.Max(Math.Abs(Below(b, x) - Below(a, x)), Math.Abs(AtOrBelow(b, x) - AtOrBelow(a, x))));
        return sup;
    }

    private static double[] Logs(IReadOnlyList<double> quantiles)
    {
        if (quantiles.Count < 2) throw new ArgumentException("an ESD summary needs at least two quantiles.", nameof(quantiles));
        return quantiles.Select(Math.Log10).ToArray();
    }

    private static double Level(double[] u, int k) => (double)k / (u.Length - 1);

    /// <summary>F(x), right-continuous: the value at x itself, including a jump at x.</summary>
    private static double AtOrBelow(double[] u, double x)
    {
        if (x < u[0]) return 0;
        if (x >= u[^1]) return 1;
        int k = LastAtOrBelow(u, x); // u[k] <= x < u[k + 1]
        return Level(u, k) + (x - u[k]) / (u[k + 1] - u[k]) * (Level(u, k + 1) - Level(u, k));
    }

    /// <summary>F(x−), the limit from the left: excludes a jump at x.</summary>
    private static double Below(double[] u, double x)
    {
        if (x <= u[0]) return 0;
        if (x > u[^1]) return 1;
        int k = LastAtOrBelow(u, Math.BitDecrement(x)) + 1; // u[k − 1] < x <= u[k]
        return Level(u, k - 1) + (x - u[k - 1]) / (u[k] - u[k - 1]) * (Level(u, k) - Level(u, k - 1));
    }

    private static int LastAtOrBelow(double[] u, double x)
    {
        int k = 0;
        while (k + 1 < u.Length && u[k + 1] <= x) k++;
        return k;
    }
}
