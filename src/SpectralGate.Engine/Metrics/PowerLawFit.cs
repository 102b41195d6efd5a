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
/// <para>Exact, always: every candidate competes, however long the spectrum (pooled FARMS spectra reach 450,000
/// eigenvalues). Suffix sums of ln λ make each candidate's α O(1). Its D is first bracketed on P evenly spaced tail points
/// (the last one included): with probe stride s, D lies in [B, B + (s−1)/n], B the largest probed gap, because x ↦ F(x) and
/// j ↦ j/n are both monotone, so between two probes the gap moves by less than s/n. A candidate whose lower bound exceeds
/// another's upper bound cannot win and is dropped; the survivors are bracketed again with <see cref="ProbeStages"/> times
/// more points, and the last survivors are evaluated in full in the order of their bound, each evaluation stopping once it
/// cannot beat the best D so far. The result is the plain scan's.</para>
/// </remarks>
public static class PowerLawFit
{
    /// <summary>Probe points per candidate at each bracketing stage before the full evaluation of the survivors.</summary>
    public static IReadOnlyList<int> ProbeStages { get; } = [32, 512, 8192];

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
        search.Scan(candidates);
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

        /// <summary>
        /// The largest |F(x_j) − j/n| over j = 0, stride, 2·stride, ... and j = n − 1; stops once it exceeds
        /// <paramref name="stopAt"/>.
        /// </summary>
        public double Distance(int i, double alpha, int stride, double stopAt)
        {
            int n = X.Length - i;
            double exponent = 1 - alpha, logXmin = LogX[i], invN = 1.0 / n, d = 0;
            for (int j = 0; j < n; j = j < n - 1 && j + stride > n - 1 ? n - 1 : j + stride)
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

    /// <summary>The exact minimum of D over all candidates (smallest D, then smallest index), by bracketing and pruning.</summary>
    private sealed class Search(Tail tail)
    {
        private const int SeedCandidates = 64;

        // Round-off in F and j/n is ~1e-16; a margin far above it keeps every pruning decision exact.
        private const double Margin = 1e-12;

        public int BestIndex { get; private set; } = -1;
        public double BestD { get; private set; } = double.PositiveInfinity;

        public void Scan(int candidates)
        {
            var alive = new List<(int Index, double Alpha, double Lower)>(candidates);
            for (int i = 0; i < candidates; i++)
            {
                double alpha = tail.Alpha(i);
                if (!double.IsNaN(alpha)) alive.Add((i, alpha, 0));
            }
            // Any candidate's upper bound caps the minimum: a few spread ones, finely bracketed, let the first stage stop early.
            double seedUpper = double.PositiveInfinity;
            for (int k = 0; k < SeedCandidates && alive.Count > 0; k++)
            {
                var (i, alpha, _) = alive[(int)((long)k * alive.Count / SeedCandidates)];
                seedUpper = Math.Min(seedUpper, UpperBound(i, alpha, ProbeStages[^1]));
            }
            foreach (int points in ProbeStages)
                alive = Bracket(alive, points, seedUpper);

            alive.Sort((a, b) => a.Lower != b.Lower ? a.Lower.CompareTo(b.Lower) : a.Index.CompareTo(b.Index));
            foreach (var (i, alpha, lower) in alive)
            {
                if (!CanWin(lower, i)) continue;
                double d = tail.Distance(i, alpha, 1, BestD);
                if (CanWin(d, i))
                {
                    BestD = d;
                    BestIndex = i;
                }
            }
        }

        /// <summary>The candidates whose D, bracketed on about <paramref name="points"/> tail points, can still be the minimum.</summary>
        private List<(int Index, double Alpha, double Lower)> Bracket(List<(int Index, double Alpha, double Lower)> alive, int points, double bestUpper)
        {
            var bracketed = new (int Index, double Alpha, double Lower)[alive.Count];
            for (int k = 0; k < alive.Count; k++)
            {
                var (i, alpha, _) = alive[k];
                int n = tail.X.Length - i;
                int stride = Math.Max(1, (n - 1) / points);
                // Stopped early, the partial maximum still exceeds bestUpper: a lower bound that loses, whose upper bound cannot matter.
                double lower = tail.Distance(i, alpha, stride, bestUpper + Margin);
                bracketed[k] = (i, alpha, lower);
                if (lower <= bestUpper + Margin) bestUpper = Math.Min(bestUpper, lower + (double)(stride - 1) / n);
            }
            var survivors = new List<(int Index, double Alpha, double Lower)>();
            foreach (var candidate in bracketed)
                if (candidate.Lower <= bestUpper + Margin) survivors.Add(candidate);
            return survivors;
        }

        private double UpperBound(int i, double alpha, int points)
        {
            int n = tail.X.Length - i;
            int stride = Math.Max(1, (n - 1) / points);
            return tail.Distance(i, alpha, stride, double.PositiveInfinity) + (double)(stride - 1) / n;
        }

        // A D equal to the best still wins when it belongs to a smaller xmin, as in the plain ascending scan.
        private bool CanWin(double d, int i) => d < BestD || (d == BestD && (BestIndex < 0 || i < BestIndex));
    }
}
