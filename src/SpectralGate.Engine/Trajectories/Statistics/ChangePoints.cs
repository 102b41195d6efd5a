namespace SpectralGate.Engine.Trajectories.Statistics;

/// <summary>
/// The best single change point of any (step, value) series: metric, scalar (test accuracy) or norm. Every split with at
/// least <see cref="ChangePointOptions.MinSegment"/> records a side is fitted by least squares with the change and the
/// sup-F statistic of the best split (Quandt 1960; Andrews 1993) is judged by a permutation test on the no-change model's
/// residuals with a fixed seed (Antoch &amp; Hušková 2001), so its null distribution needs no table. Time is the step,
/// scaled to [0, 1]. Deterministic: the same series and options give the same answer on every machine.
/// </summary>
public static class ChangePoints
{
    private const double ExactFitTolerance = 1e-12;

    public static ChangePointResult Find(IReadOnlyList<TrajectoryPoint> points, ChangePointOptions? options = null) =>
        Find(DefinedSeries.Of(points), options);

    public static ChangePointResult Find(DefinedSeries series, ChangePointOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(series);
        options ??= new ChangePointOptions();
        options.Validate();
        int n = series.Count;
        var design = Design.Of(options.Model);
        ChangePointResult Untested(string why) => new()
        {
            Model = options.Model, Count = n, NotTested = why, Significance = options.Significance,
            MinExplained = options.MinExplained, Permutations = options.Permutations,
        };

        int needed = Math.Max(2 * options.MinSegment, design.Parameters + 1);
        if (n < needed) return Untested($"{n} records; the test needs at least {needed} ({options.MinSegment} on each side of a change)");

        ChangePointResult Nothing() => new()
        {
            Model = options.Model, Count = n, Significance = options.Significance,
            MinExplained = options.MinExplained, Permutations = options.Permutations,
        };

        double mean = series.Values.Average();
        double sd = Math.Sqrt(series.Values.Sum(v => (v - mean) * (v - mean)) / n);
        if (sd == 0 || sd < 1e-15 * Math.Max(1, Math.Abs(mean))) return Nothing();

        double first = series.Steps[0], span = series.Steps[n - 1] - first;
        var u = series.Steps.Select(s => (s - first) / span).ToArray();
        var y = series.Values.Select(v => (v - mean) / sd).ToArray();

        var observed = Scan(u, y, design, options.MinSegment, withCoefficients: true);
        // The values are standardised (Σy² = n): what the no-change model leaves below rounding is nothing to explain.
        if (observed.Rss0 <= ExactFitTolerance * n) return Nothing();

        var residuals = NullResiduals(u, y, design);
        var random = new Random(options.Seed);
        int atLeast = 0;
        for (int b = 0; b < options.Permutations; b++)
        {
            random.Shuffle(residuals);
            if (Scan(u, residuals, design, options.MinSegment).F >= observed.F * (1 - ExactFitTolerance)) atLeast++;
        }

        double p = (1.0 + atLeast) / (1.0 + options.Permutations);
        double explained = Math.Clamp((observed.Rss0 - observed.Rss1) / observed.Rss0, 0, 1);
        double relativeRange = RelativeRange(series.Values);
        int k = observed.Index;
        double mid = (u[k - 1] + u[k]) / 2;
        double[] beta = observed.Beta;
        (double jump, double slopeBefore, double slopeAfter) = options.Model switch
        {
            ChangePointModel.MeanShift => (beta[1], 0.0, 0.0),
            ChangePointModel.LevelShift => (beta[2], beta[1], beta[1]),
            _ => (beta[2] + beta[3] * mid, beta[1], beta[1] + beta[3]),
        };

        return new ChangePointResult
        {
            Model = options.Model,
            Count = n,
            Found = p <= options.Significance && explained >= options.MinExplained && relativeRange >= options.MinRelativeRange,
            RelativeRange = relativeRange,
            MinRelativeRange = options.MinRelativeRange,
            Index = k,
            Step = series.Steps[k],
            PreviousStep = series.Steps[k - 1],
            F = observed.F,
            PValue = p,
            Explained = explained,
            LevelChange = jump * sd,
            SlopeBefore = slopeBefore * sd / span,
            SlopeAfter = slopeAfter * sd / span,
            Significance = options.Significance,
            MinExplained = options.MinExplained,
            Permutations = options.Permutations,
        };
    }

    /// <summary>(max − min)/median |value|: how far the series moved relative to its level (+∞ around a zero median).</summary>
    internal static double RelativeRange(IReadOnlyList<double> values)
    {
        double range = values.Max() - values.Min();
        if (range == 0) return 0;
        var magnitudes = values.Select(Math.Abs).Order().ToList();
        int m = magnitudes.Count / 2;
        double median = magnitudes.Count % 2 == 1 ? magnitudes[m] : (magnitudes[m - 1] + magnitudes[m]) / 2;
        return median > 0 ? range / median : double.PositiveInfinity;
    }

    private readonly record struct ScanResult(int Index, double F, double Rss0, double Rss1, double[] Beta);

    /// <summary>The split with the smallest residual (the largest F; the earliest on ties), by suffix sums: O(n) per scan.</summary>
    private static ScanResult Scan(double[] u, double[] y, Design design, int minSegment, bool withCoefficients = false)
    {
        int n = u.Length;
        var total = new Sums();
        for (int i = 0; i < n; i++) total.Add(u[i], y[i]);
        double rss0 = design.NullRss(total);

        var tail = new Sums();
        for (int i = n - 1; i >= n - minSegment + 1; i--) tail.Add(u[i], y[i]);
        int best = -1;
        double bestRss = double.PositiveInfinity;
        for (int k = n - minSegment; k >= minSegment; k--)
        {
            tail.Add(u[k], y[k]);
            double rss = design.ChangeRss(total, tail, rss0);
            if (rss <= bestRss) { bestRss = rss; best = k; }
        }

        double[] coefficients = [];
        if (withCoefficients && best >= 0)
        {
            Span<double> beta = stackalloc double[4];
            var right = new Sums();
            for (int i = best; i < n; i++) right.Add(u[i], y[i]);
            design.TryFit(total, right, beta, out _);
            coefficients = beta[..design.Parameters].ToArray();
        }

        bestRss = Math.Max(bestRss, 0);
        double dof = n - design.Parameters;
        double f = bestRss <= ExactFitTolerance * rss0 ? double.PositiveInfinity
            : (rss0 - bestRss) / design.Restrictions / (bestRss / dof);
        return new ScanResult(best, f, rss0, bestRss, coefficients);
    }

    private static double[] NullResiduals(double[] u, double[] y, Design design)
    {
        var total = new Sums();
        for (int i = 0; i < u.Length; i++) total.Add(u[i], y[i]);
        var (a, b) = design.NullFit(total);
        return y.Select((v, i) => v - a - b * u[i]).ToArray();
    }

    /// <summary>Σ1, Σu, Σu², Σy, Σuy, Σy² over a set of records.</summary>
    private struct Sums
    {
        public double N, U, UU, Y, UY, YY;

        public void Add(double u, double y)
        {
            N++; U += u; UU += u * u; Y += y; UY += u * y; YY += y * y;
        }

        /// <summary>Residual sum of squares about the mean.</summary>
        public double MeanRss() => YY - Y * Y / N;

        /// <summary>Residual sum of squares about the least-squares line.</summary>
        public double LineRss()
        {
            double suu = UU - U * U / N, suy = UY - U * Y / N;
            return suu > 0 ? MeanRss() - suy * suy / suu : MeanRss();
        }

        public static Sums Minus(Sums a, Sums b) => new()
        {
            N = a.N - b.N, U = a.U - b.U, UU = a.UU - b.UU, Y = a.Y - b.Y, UY = a.UY - b.UY, YY = a.YY - b.YY,
        };
    }

    /// <summary>
    /// The regression with a change at k: columns from {1, u, I(i ≥ k), I(i ≥ k)·u}; the no-change model is its first
    /// one (mean) or two (line) columns.
    /// </summary>
    private sealed class Design
    {
        private static readonly int[] TwoLinesColumns = [0, 1, 2, 3];
        private static readonly int[] LevelShiftColumns = [0, 1, 2];
        private static readonly int[] MeanShiftColumns = [0, 2];

        private readonly bool _line;
        private readonly bool _slopeChange;

        private Design(bool line, bool slopeChange)
        {
            _line = line;
            _slopeChange = slopeChange;
        }

        public static Design Of(ChangePointModel model) => model switch
        {
            ChangePointModel.MeanShift => new Design(line: false, slopeChange: false),
            ChangePointModel.LevelShift => new Design(line: true, slopeChange: false),
            _ => new Design(line: true, slopeChange: true),
        };

        public int Parameters => (_line ? 2 : 1) + Restrictions;

        public int Restrictions => _slopeChange ? 2 : 1;

        public (double A, double B) NullFit(Sums s)
        {
            if (!_line) return (s.Y / s.N, 0);
            double suu = s.UU - s.U * s.U / s.N, suy = s.UY - s.U * s.Y / s.N;
            double b = suu > 0 ? suy / suu : 0;
            return (s.Y / s.N - b * s.U / s.N, b);
        }

        public double NullRss(Sums s)
        {
            double syy = s.YY - s.Y * s.Y / s.N;
            if (!_line) return Math.Max(syy, 0);
            double suu = s.UU - s.U * s.U / s.N, suy = s.UY - s.U * s.Y / s.N;
            return Math.Max(suu > 0 ? syy - suy * suy / suu : syy, 0);
        }

        /// <summary>
        /// The residual sum of squares with the change where <paramref name="tail"/> (the records from k on) starts, in
        /// closed form: a mean or a line on each side, or (level shift) the no-change residual less what the step
        /// indicator explains of it after the line is partialled out (Frisch–Waugh–Lovell).
        /// </summary>
        public double ChangeRss(Sums all, Sums tail, double rss0)
        {
            if (!_line)
            {
                var head = Sums.Minus(all, tail);
                return head.MeanRss() + tail.MeanRss();
            }
            if (_slopeChange)
            {
                var head = Sums.Minus(all, tail);
                return head.LineRss() + tail.LineRss();
            }
            // I's residual on [1, u]: |e|² = n₂ − c·G⁻¹·c with G = [[n, Σu], [Σu, Σu²]], c = (n₂, Σ_tail u);
            // its product with the no-change residual r₀ = y − a − b·u is Σ_tail r₀.
            var (a, b) = NullFit(all);
            double det = all.N * all.UU - all.U * all.U;
            double quad = (all.UU * tail.N * tail.N - 2 * all.U * tail.N * tail.U + all.N * tail.U * tail.U) / det;
            double indicator = tail.N - quad;
            double explained = tail.Y - a * tail.N - b * tail.U;
            return indicator > 1e-12 * tail.N ? rss0 - explained * explained / indicator : rss0;
        }

        /// <summary>
        /// Least squares with the change where <paramref name="t"/> (the records from k on) starts: the coefficients
        /// into <paramref name="beta"/> and the residual sum of squares; false when the normal equations are singular.
        /// </summary>
        public bool TryFit(Sums all, Sums t, Span<double> beta, out double rss)
        {
            // Inner products of the columns 1, u, I, I·u with each other and with y.
            int[] columns = _line ? _slopeChange ? TwoLinesColumns : LevelShiftColumns : MeanShiftColumns;
            int p = columns.Length;
            Span<double> a = stackalloc double[p * p];
            Span<double> rhs = stackalloc double[p];
            Span<double> h = [all.Y, all.UY, t.Y, t.UY];
            for (int i = 0; i < p; i++)
            {
                rhs[i] = h[columns[i]];
                for (int j = 0; j < p; j++) a[i * p + j] = Gram(all, t, columns[i], columns[j]);
            }
            rss = 0;
            if (!Solve(a, rhs, p, beta)) return false;
            double fitted = 0;
            for (int i = 0; i < p; i++) fitted += beta[i] * h[columns[i]];
            rss = all.YY - fitted;
            return true;
        }

        private static double Gram(Sums all, Sums t, int i, int j)
        {
            // 1·1 = n, 1·u = Σu, u·u = Σu²; any product with the indicator sums over the tail only (I² = I).
            bool tail = i >= 2 || j >= 2;
            int powers = (i & 1) + (j & 1);
            Sums s = tail ? t : all;
            return powers == 0 ? s.N : powers == 1 ? s.U : s.UU;
        }

        /// <summary>Gaussian elimination with partial pivoting on a p × p row-major system; false when singular.</summary>
        private static bool Solve(Span<double> a, Span<double> b, int p, Span<double> x)
        {
            double scale = 0;
            for (int i = 0; i < p; i++) scale = Math.Max(scale, Math.Abs(a[i * p + i]));
            for (int c = 0; c < p; c++)
            {
                int pivot = c;
                for (int r = c + 1; r < p; r++) if (Math.Abs(a[r * p + c]) > Math.Abs(a[pivot * p + c])) pivot = r;
                if (Math.Abs(a[pivot * p + c]) <= 1e-13 * scale) return false;
                if (pivot != c)
                {
                    for (int j = 0; j < p; j++) (a[c * p + j], a[pivot * p + j]) = (a[pivot * p + j], a[c * p + j]);
                    (b[c], b[pivot]) = (b[pivot], b[c]);
                }
                for (int r = c + 1; r < p; r++)
                {
                    double factor = a[r * p + c] / a[c * p + c];
                    for (int j = c; j < p; j++) a[r * p + j] -= factor * a[c * p + j];
                    b[r] -= factor * b[c];
                }
            }
            for (int r = p - 1; r >= 0; r--)
            {
                double sum = b[r];
                for (int j = r + 1; j < p; j++) sum -= a[r * p + j] * x[j];
                x[r] = sum / a[r * p + r];
            }
            return true;
        }
    }
}
