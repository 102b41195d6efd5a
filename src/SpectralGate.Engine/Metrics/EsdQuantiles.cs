namespace SpectralGate.Engine.Metrics;

/// <summary>
/// The compact ESD a baseline keeps per layer: <see cref="Count"/> quantiles of log10 λ over the nonzero eigenvalues
/// (those above the numerical-rank floor, so the float noise of a rank-deficient Gram stays out), at the equally spaced
/// probability levels p_k = k / (Count − 1), interpolated linearly between order statistics (Hyndman–Fan type 7,
/// numpy's default), as λ = 10^q (a signature rounds them like its other numbers, which keeps them ascending). The first is the smallest nonzero
/// λ, the last λ_max. Quantiles of log λ are scale-free, so <see cref="EsdDistance"/> can compare them on a log axis.
/// </summary>
public static class EsdQuantiles
{
    public const int Count = 32;

    /// <summary>The summary, ascending; null when no eigenvalue is above the floor (a zero or degenerate matrix).</summary>
    /// <param name="eigenvaluesDescending">λ = σ², descending, as the spectra give them.</param>
    /// <param name="n">Rows of the matrix.</param>
    /// <param name="m">Columns of the matrix.</param>
    /// <param name="float32">True when the spectrum was computed in float32 (a higher floor).</param>
    /// <param name="convention">How the eigenvalues were computed (<see cref="NumericalRank.EigenvalueFloor"/>).</param>
    public static double[]? Compute(ReadOnlySpan<double> eigenvaluesDescending, int n, int m, bool float32 = false,
        NumericalRankConvention convention = NumericalRankConvention.GramEigenvalues)
    {
        double floor = NumericalRank.EigenvalueFloor(eigenvaluesDescending, n, m, float32, convention);
        var logs = new List<double>(eigenvaluesDescending.Length);
        for (int i = eigenvaluesDescending.Length - 1; i >= 0; i--)
        {
            double l = eigenvaluesDescending[i];
            if (l > floor && l > 0 && double.IsFinite(l)) logs.Add(Math.Log10(l));
        }
        if (logs.Count == 0) return null;
        logs.Sort(); // ascending already for a sorted spectrum; sorting makes the summary independent of that

        var quantiles = new double[Count];
        for (int k = 0; k < Count; k++)
        {
            double h = (double)k / (Count - 1) * (logs.Count - 1);
            int lo = (int)Math.Floor(h);
            double q = lo + 1 < logs.Count ? logs[lo] + (h - lo) * (logs[lo + 1] - logs[lo]) : logs[lo];
            quantiles[k] = Math.Pow(10, q);
        }
        return quantiles;
    }
}
