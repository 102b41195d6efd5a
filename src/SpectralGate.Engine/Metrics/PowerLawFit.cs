using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace SpectralGate.Engine.Metrics;

/// <summary>
/// Heavy-tail α of HT-SR (Martin &amp; Mahoney; WeightWatcher <c>WWFit.fit_power_law</c>): the Clauset–Shalizi–Newman continuous
/// MLE α̂ = 1 + n/Σ ln(λ_i/xmin), with xmin the candidate (every eigenvalue but the largest, ascending) of minimal KS distance
/// D = max_j |1 − (x_j/xmin)^(1−α) − j/n| (empirical CDF j/n, the lower step); only candidates with α &gt; 1 compete, ties go
/// to the smaller xmin. Fitted on λ &gt; 1e-5, needing at least 10 of them (metrics-reference §4).
/// </summary>
/// <remarks>
/// <para>Cost. Each candidate costs O(n) with suffix sums of ln λ. Two exact prunings keep the scan fast: a candidate's D is
/// first bounded below on about <see cref="ProbePoints"/> evenly spaced tail points, candidates are then evaluated in the
/// order of that bound, and an evaluation stops as soon as its running maximum cannot beat the best D so far. The result is
/// the one the plain scan gives.</para>
/// <para>Large spectra. With more than <see cref="MaxFullScanCandidates"/> candidates (pooled FARMS spectra reach 450,000
/// eigenvalues) only <see cref="MaxFullScanCandidates"/> evenly spaced candidate indices are scanned (index
/// round(k·(C−1)/(K−1)), k = 0..K−1, for C candidates), then every candidate strictly between the two scanned neighbours of
/// the best one. That is an approximation: a narrow minimum between two scanned indices away from the best can be missed.</para>
/// </remarks>
public static class PowerLawFit
{
    /// <summary>Up to this many candidates every one is scanned; above it, an evenly spaced subset of this size plus a refinement.</summary>
    public const int MaxFullScanCandidates = 2000;

    /// <summary>Tail points used to bound a candidate's D from below before its full evaluation.</summary>
    public const int ProbePoints = 256;

    /// <summary>The fit, or null when it is undefined (too few eigenvalues above the threshold, or no candidate with α &gt; 1).</summary>
    public static PowerLawResult? Fit(ReadOnlySpan<double> eigenvaluesDescending, PowerLawOptions? options = null) =>
        TryFit(eigenvaluesDescending, options, out var result, out _) ? result : null;

    /// <summary>The fit, or false with the reason it is undefined.</summary>
    public static bool TryFit(ReadOnlySpan<double> eigenvaluesDescending, PowerLawOptions? options,
        [NotNullWhen(true)] out PowerLawResult? result, [NotNullWhen(false)] out string? failureReason)
    {
        options ??= PowerLawOptions.Default;
        result = null;
        int count = 0;
        while (count < eigenvaluesDescending.Length && eigenvaluesDescending[count] > options.Threshold) count++;
        if (count < options.MinEigenvalues || count < 2)
        {
            failureReason = string.Create(CultureInfo.InvariantCulture,
                $"{count} eigenvalues above {options.Threshold:R}; the power-law fit needs at least {Math.Max(2, options.MinEigenvalues)}");
            return false;
        }

        var tail = new Tail(eigenvaluesDescending[..count]);
        int candidates = count - 1;
        if (options.FixFingers == PowerLawFixFingers.XminPeak)
            candidates = Math.Min(candidates, XminPeakCandidates(tail.X));
        if (candidates <= 0)
        {
            failureReason = "no xmin candidate below the xmin_peak bound";
            return false;
        }

        var search = new Search(tail);
        if (candidates <= MaxFullScanCandidates)
        {
            search.Scan(Enumerable.Range(0, candidates));
        }
        else
        {
            var coarse = new int[MaxFullScanCandidates];
            for (int k = 0; k < coarse.Length; k++)
                coarse[k] = (int)Math.Round(k * (double)(candidates - 1) / (coarse.Length - 1));
            search.Scan(coarse);
            if (search.BestIndex >= 0)
            {
                int at = Array.BinarySearch(coarse, search.BestIndex);
                int from = at > 0 ? coarse[at - 1] + 1 : 0;
                int to = at < coarse.Length - 1 ? coarse[at + 1] - 1 : candidates - 1;
                search.Scan(Enumerable.Range(from, to - from + 1).Where(i => i != search.BestIndex));
            }
        }

        if (search.BestIndex < 0)
        {
            failureReason = "no xmin candidate gives α > 1";
            return false;
        }
        result = tail.Result(search.BestIndex, search.BestD);
        failureReason = null;
        return true;
    }

    /// <summary>
    /// α, D, σ̂ and n for the tail λ ≥ <paramref name="xmin"/>, with no threshold and no scan (test vectors, inspection).
    /// Null when the tail has no spread (α undefined).
    /// </summary>
    public static PowerLawResult? FitAt(ReadOnlySpan<double> eigenvaluesDescending, double xmin)
    {
        int count = 0;
        while (count < eigenvaluesDescending.Length && eigenvaluesDescending[count] >= xmin) count++;
        if (count == 0 || !(xmin > 0)) return null;
        var tail = new Tail(eigenvaluesDescending[..count]);
        double logSum = tail.SuffixLog[0] - count * Math.Log(xmin);
        if (!(logSum > 0)) return null;
        double alpha = 1 + count / logSum;
        double d = 0;
        for (int j = 0; j < count; j++)
            d = Math.Max(d, Math.Abs(1 - Math.Exp((1 - alpha) * (tail.LogX[j] - Math.Log(xmin))) - (double)j / count));
        return new PowerLawResult(alpha, xmin, d, (alpha - 1) / Math.Sqrt(count), count);
    }

    /// <summary>Number of candidates (ascending indices 0..k−1) with x ≤ 1.5·peak of the 100-bin histogram of log10 x.</summary>
    private static int XminPeakCandidates(double[] ascending)
    {
        const int bins = 100;
        double lo = Math.Log10(ascending[0]), hi = Math.Log10(ascending[^1]);
        if (!(hi > lo)) return ascending.Length - 1;
        double width = (hi - lo) / bins;
        var counts = new int[bins];
        foreach (double v in ascending)
            counts[Math.Min(bins - 1, (int)((Math.Log10(v) - lo) / width))]++;
        int peakBin = 0;
        for (int b = 1; b < bins; b++) if (counts[b] > counts[peakBin]) peakBin = b;
        double bound = 1.5 * Math.Pow(10, lo + peakBin * width);
        int k = 0;
        while (k < ascending.Length - 1 && ascending[k] <= bound) k++;
        return k;
    }

    /// <summary>Ascending tail with ln x and suffix sums of ln x.</summary>
    private sealed class Tail
    {
        public Tail(ReadOnlySpan<double> descending)
        {
            int count = descending.Length;
            X = new double[count];
            LogX = new double[count];
            SuffixLog = new double[count + 1];
            for (int i = 0; i < count; i++)
            {
                X[i] = descending[count - 1 - i];
                LogX[i] = Math.Log(X[i]);
            }
            for (int i = count - 1; i >= 0; i--) SuffixLog[i] = SuffixLog[i + 1] + LogX[i];
        }

        public double[] X { get; }
        public double[] LogX { get; }
        public double[] SuffixLog { get; }

        /// <summary>α̂ for the tail starting at ascending index i, NaN when not &gt; 1.</summary>
        public double Alpha(int i)
        {
            int n = X.Length - i;
            double logSum = SuffixLog[i] - n * LogX[i];
            double alpha = 1 + n / logSum;
            return logSum > 0 && alpha > 1 ? alpha : double.NaN;
        }

        /// <summary>The largest |F(x_j) − j/n| over j = first, first+stride, ...; stops once it reaches <paramref name="stopAt"/>.</summary>
        public double Distance(int i, double alpha, int first, int stride, double stopAt)
        {
            int n = X.Length - i;
            double exponent = 1 - alpha, logXmin = LogX[i], invN = 1.0 / n, d = 0;
            for (int j = first; j < n; j += stride)
            {
                double gap = Math.Abs(1 - Math.Exp(exponent * (LogX[i + j] - logXmin)) - j * invN);
                if (gap > d)
                {
                    d = gap;
                    if (d > stopAt) break;
                }
            }
            return d;
        }

        public PowerLawResult Result(int i, double d)
        {
            int n = X.Length - i;
            double alpha = Alpha(i);
            return new PowerLawResult(alpha, X[i], d, (alpha - 1) / Math.Sqrt(n), n);
        }
    }

    /// <summary>The running best (smallest D, then smallest index) over candidate sets, with exact pruning.</summary>
    private sealed class Search(Tail tail)
    {
        public int BestIndex { get; private set; } = -1;
        public double BestD { get; private set; } = double.PositiveInfinity;

        public void Scan(IEnumerable<int> candidates)
        {
            var probed = new List<(double Bound, int Index, double Alpha)>();
            foreach (int i in candidates)
            {
                double alpha = tail.Alpha(i);
                if (double.IsNaN(alpha)) continue;
                int stride = Math.Max(1, (tail.X.Length - i) / ProbePoints);
                probed.Add((tail.Distance(i, alpha, 0, stride, double.PositiveInfinity), i, alpha));
            }
            probed.Sort((a, b) => a.Bound != b.Bound ? a.Bound.CompareTo(b.Bound) : a.Index.CompareTo(b.Index));
            foreach (var (bound, i, alpha) in probed)
            {
                if (!CanWin(bound, i)) continue;
                double d = tail.Distance(i, alpha, 0, 1, BestD);
                if (CanWin(d, i))
                {
                    BestD = d;
                    BestIndex = i;
                }
            }
        }

        // A D equal to the best still wins when it belongs to a smaller xmin, as in the plain ascending scan.
        private bool CanWin(double d, int i) => d < BestD || (d == BestD && (BestIndex < 0 || i < BestIndex));
    }
}
