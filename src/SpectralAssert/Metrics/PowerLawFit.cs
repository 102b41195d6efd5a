namespace SpectralAssert.Metrics;

/// <summary>The power-law fit of an ESD's tail.</summary>
/// <param name="Alpha">α̂ = 1 + n / Σ ln(λ_i/xmin) over λ ≥ xmin.</param>
/// <param name="Xmin">Start of the tail, chosen by minimal KS distance.</param>
/// <param name="KsDistance">D = max_j |1 − (x_j/xmin)^(1−α) − j/n|.</param>
/// <param name="AlphaStdErr">(α̂ − 1)/√n.</param>
/// <param name="NumTail">n, the eigenvalues in the tail.</param>
public sealed record PowerLawResult(double Alpha, double Xmin, double KsDistance, double AlphaStdErr, int NumTail);

/// <summary>
/// Heavy-tail α of HT-SR (Martin &amp; Mahoney; WeightWatcher <c>WWFit.fit_power_law</c>, Clauset–Shalizi–Newman
/// continuous MLE): every eigenvalue but the largest is an xmin candidate; the fit with the smallest KS distance
/// (empirical CDF j/n, the lower step) wins. Fitted on λ above a threshold (1e-5), needing at least 10 of them.
/// </summary>
public static class PowerLawFit
{
    /// <summary>
    /// Above this many candidates, an evenly spaced subset is scanned and then every candidate between the
    /// neighbours of the best one: O(n·MaxCandidates) instead of O(n²), so pooled FARMS ESDs stay fast.
    /// </summary>
    public const int MaxCandidates = 2000;

    /// <summary>Fits the tail; null when fewer than <paramref name="minEigenvalues"/> eigenvalues exceed <paramref name="threshold"/>.</summary>
    public static PowerLawResult? Fit(ReadOnlySpan<double> eigenvaluesDescending, double threshold = 1e-5, int minEigenvalues = 10)
    {
        int count = 0;
        while (count < eigenvaluesDescending.Length && eigenvaluesDescending[count] > threshold) count++;
        if (count < minEigenvalues) return null;

        // Ascending data and suffix sums of ln x.
        var x = new double[count];
        for (int i = 0; i < count; i++) x[i] = eigenvaluesDescending[count - 1 - i];
        var suffixLog = new double[count + 1];
        for (int i = count - 1; i >= 0; i--) suffixLog[i] = suffixLog[i + 1] + Math.Log(x[i]);

        int candidates = count - 1;
        PowerLawResult? best = null;
        int bestIndex = -1;
        int step = Math.Max(1, (int)Math.Ceiling(candidates / (double)MaxCandidates));
        for (int i = 0; i < candidates; i += step) Consider(i);
        if (step > 1 && bestIndex >= 0)
        {
            for (int i = Math.Max(0, bestIndex - step + 1); i < Math.Min(candidates, bestIndex + step); i++)
                if (i != bestIndex) Consider(i);
        }
        return best;

        void Consider(int i)
        {
            var fit = At(x, suffixLog, i);
            if (fit is not null && (best is null || fit.KsDistance < best.KsDistance))
            {
                best = fit;
                bestIndex = i;
            }
        }
    }

    /// <summary>α and D for the tail starting at a given xmin, on ascending data (for test vectors and inspection).</summary>
    public static PowerLawResult? FitAt(ReadOnlySpan<double> ascending, double xmin)
    {
        var x = ascending.ToArray();
        var suffixLog = new double[x.Length + 1];
        for (int i = x.Length - 1; i >= 0; i--) suffixLog[i] = suffixLog[i + 1] + Math.Log(x[i]);
        int start = Array.FindIndex(x, v => v >= xmin);
        return start < 0 ? null : At(x, suffixLog, start);
    }

    private static PowerLawResult? At(double[] x, double[] suffixLog, int i)
    {
        int n = x.Length - i;
        double xmin = x[i];
        double logSum = suffixLog[i] - n * Math.Log(xmin);
        if (logSum <= 0) return null;
        double alpha = 1 + n / logSum;
        if (!(alpha > 1)) return null;
        double d = 0;
        double exponent = 1 - alpha;
        for (int j = 0; j < n; j++)
        {
            double cdf = 1 - Math.Pow(x[i + j] / xmin, exponent);
            double gap = Math.Abs(cdf - (double)j / n);
            if (gap > d) d = gap;
        }
        return new PowerLawResult(alpha, xmin, d, (alpha - 1) / Math.Sqrt(n), n);
    }
}
