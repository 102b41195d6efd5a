namespace SpectralGate.Engine.Trajectories.Statistics;

/// <summary>Median and the normal-consistent median absolute deviation (1.4826·MAD, Hampel 1974; Rousseeuw &amp; Croux 1993).</summary>
public static class RobustStatistics
{
    /// <summary>1/Φ⁻¹(3/4): makes the MAD estimate σ for normal data.</summary>
    public const double MadToSigma = 1.4826;

    /// <summary>The middle value, or the mean of the two middle values; the input is not changed.</summary>
    public static double Median(IReadOnlyList<double> values)
    {
        if (values.Count == 0) throw new ArgumentException("the median of no values is undefined.", nameof(values));
        double[] sorted = values.ToArray();
        Array.Sort(sorted);
        int mid = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }

    /// <summary>1.4826 · median |x − median x|.</summary>
    public static double ScaledMad(IReadOnlyList<double> values)
    {
        double median = Median(values);
        return MadToSigma * Median(values.Select(v => Math.Abs(v - median)).ToArray());
    }
}
