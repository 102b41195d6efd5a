namespace SpectralGate.Engine.Trajectories.Statistics;

/// <summary>
/// Theil–Sen slope: the median of the pairwise slopes (x_j − x_i)/(step_j − step_i), i &lt; j (Theil 1950, Sen 1968);
/// value units per step. Robust to up to 29% outlying records, unlike a least-squares slope.
/// </summary>
public static class TheilSen
{
    /// <summary>The median pairwise slope; null with fewer than two records.</summary>
    public static double? Slope(DefinedSeries series)
    {
        ArgumentNullException.ThrowIfNull(series);
        int n = series.Count;
        if (n < 2) return null;
        var slopes = new double[n * (n - 1) / 2];
        int k = 0;
        for (int i = 0; i < n; i++)
            for (int j = i + 1; j < n; j++)
                slopes[k++] = (series.Values[j] - series.Values[i]) / (series.Steps[j] - (double)series.Steps[i]);
        return RobustStatistics.Median(slopes);
    }
}
