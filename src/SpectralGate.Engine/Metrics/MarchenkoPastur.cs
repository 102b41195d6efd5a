namespace SpectralGate.Engine.Metrics;

/// <summary>
/// Marchenko–Pastur law for W (N × M, N ≥ M, Q = N/M, entries of variance σ²): X = WᵀW/N has its eigenvalues on [λ₋, λ₊],
/// λ± = σ²(1 ± 1/√Q)², with density ρ(λ) = Q/(2πσ²λ)·√((λ₊−λ)(λ−λ₋)) (metrics-reference §5; WeightWatcher <c>RMT_Util</c>).
/// Spikes: λ/N &gt; λ₊ + q₀.₉₉·s with Johnstone's (2001) Tracy–Widom scale s = σ²(√N+√M)(1/√N+1/√M)^(1/3)/N and the TW₁ 99%
/// quantile q₀.₉₉ = 2.0234 (standard tables), in place of WeightWatcher's heuristic margin.
/// </summary>
public static class MarchenkoPastur
{
    /// <summary>99% quantile of the Tracy–Widom β = 1 law.</summary>
    public const double TracyWidom99 = 2.0234;

    /// <summary>λ₊ = σ²(1 + 1/√Q)², the upper bulk edge of WᵀW/N.</summary>
    public static double LambdaPlus(double sigma2, double q) => sigma2 * Square(1 + 1 / Math.Sqrt(q));

    /// <summary>λ₋ = σ²(1 − 1/√Q)², the lower bulk edge of WᵀW/N.</summary>
    public static double LambdaMinus(double sigma2, double q) => sigma2 * Square(1 - 1 / Math.Sqrt(q));

    /// <summary>The MP density ρ(λ) = Q/(2πσ²λ)·√((λ₊−λ)(λ−λ₋)) on (λ₋, λ₊), 0 outside; Q ≥ 1.</summary>
    public static double MpDensity(double lambda, double sigma2, double q)
    {
        double plus = LambdaPlus(sigma2, q), minus = LambdaMinus(sigma2, q);
        if (lambda <= minus || lambda >= plus || lambda <= 0) return 0;
        return q / (2 * Math.PI * sigma2 * lambda) * Math.Sqrt((plus - lambda) * (lambda - minus));
    }

    /// <summary>Johnstone's Tracy–Widom scale of λ_max of WᵀW/N, s = σ²(√N+√M)(1/√N+1/√M)^(1/3)/N.</summary>
    public static double TracyWidomScale(double sigma2, int n, int m) =>
        sigma2 * (Math.Sqrt(n) + Math.Sqrt(m)) * Math.Cbrt(1 / Math.Sqrt(n) + 1 / Math.Sqrt(m)) / n;

    /// <summary>
    /// Fits the bulk of a spectrum λ = σ(W)² (descending, no 1/N; possibly pooled from several N × M matrices).
    /// N and M are oriented so that N ≥ M. Null on a spectrum with no positive eigenvalue.
    /// </summary>
    public static MarchenkoPasturFit? Fit(ReadOnlySpan<double> eigenvaluesDescending, int n, int m, MpSigmaEstimator estimator = MpSigmaEstimator.BulkTrimmedMean)
    {
        if (SpectrumSums.IsDegenerate(eigenvaluesDescending) || n <= 0 || m <= 0) return null;
        (n, m) = (Math.Max(n, m), Math.Min(n, m));
        double q = (double)n / m;
        var normalised = new double[eigenvaluesDescending.Length];
        for (int i = 0; i < normalised.Length; i++) normalised[i] = Math.Max(0, eigenvaluesDescending[i]) / n;

        double sigma2 = estimator switch
        {
            MpSigmaEstimator.BulkTrimmedMean => BulkTrimmedMean(normalised, q),
            MpSigmaEstimator.WeightWatcherFit => WeightWatcherSigma2(normalised, q),
            _ => throw new ArgumentOutOfRangeException(nameof(estimator)),
        };
        if (!(sigma2 > 0)) return null;

        double cut = LambdaPlus(sigma2, q) + TracyWidom99 * TracyWidomScale(sigma2, n, m);
        int spikes = 0;
        while (spikes < normalised.Length && normalised[spikes] > cut) spikes++;
        double bulkMax = n * LambdaPlus(sigma2, q);
        return new MarchenkoPasturFit(Math.Sqrt(sigma2), bulkMax, n * cut, spikes, bulkMax / eigenvaluesDescending[0]);
    }

    /// <summary>σ² by the iteratively trimmed mean of descending λ/N (<see cref="MpSigmaEstimator.BulkTrimmedMean"/>).</summary>
    public static double BulkTrimmedMean(ReadOnlySpan<double> normalisedDescending, double q)
    {
        int len = normalisedDescending.Length;
        var suffix = new double[len + 1];
        for (int i = len - 1; i >= 0; i--) suffix[i] = suffix[i + 1] + normalisedDescending[i];
        int dropped = 0;
        double sigma2 = suffix[0] / len;
        while (true)
        {
            double edge = LambdaPlus(sigma2, q);
            int next = dropped;
            while (next < len - 1 && normalisedDescending[next] > edge) next++;
            if (next == dropped) return sigma2;
            dropped = next;
            sigma2 = suffix[dropped] / (len - dropped);
        }
    }

    /// <summary>σ² by WeightWatcher's KDE fit of λ/N (<see cref="MpSigmaEstimator.WeightWatcherFit"/>).</summary>
    public static double WeightWatcherSigma2(ReadOnlySpan<double> normalisedDescending, double q)
    {
        double mean = 0;
        for (int i = normalisedDescending.Length - 1; i >= 0; i--) mean += normalisedDescending[i];
        mean /= normalisedDescending.Length;
        if (!(mean > 0)) return double.NaN;

        bool quarterCircle = q == 1;
        var data = new double[normalisedDescending.Length];
        for (int i = 0; i < data.Length; i++)
        {
            double scaled = normalisedDescending[data.Length - 1 - i] / mean;
            data[i] = quarterCircle ? Math.Sqrt(scaled) : scaled;
        }
        double lambdaMax = normalisedDescending[0] / mean;
        double sigma0 = Math.Sqrt(lambdaMax / Square(1 + 1 / Math.Sqrt(q)));

        const int gridPoints = 1000;
        const double bandwidth = 0.1, densityFloor = 0.01;
        double top = data[^1] + 0.5;
        var xs = new List<double>(gridPoints);
        var kde = new List<double>(gridPoints);
        for (int k = 0; k < gridPoints; k++)
        {
            double x = top * k / (gridPoints - 1);
            double y = LinearKernelDensity(data, x, bandwidth);
            if (y > densityFloor) { xs.Add(x); kde.Add(y); }
        }
        if (xs.Count == 0) return double.NaN;
        int peak = 0;
        for (int k = 1; k < kde.Count; k++) if (kde[k] > kde[peak]) peak = k;
        double xPeak = xs[peak], xLast = xs[^1];

        double Residual(double sigma)
        {
            double s2 = sigma * sigma;
            if (!quarterCircle)
            {
                double a = LambdaMinus(s2, q), b = LambdaPlus(s2, q);
                if (b < xPeak || b > xLast || a > xPeak) return 1e6 * xs.Count;
            }
            double sum = 0;
            for (int k = 0; k < xs.Count; k++)
            {
                double model = quarterCircle ? QuarterCircleDensity(xs[k], s2) : MpDensity(xs[k], s2, q);
                sum += Square(model - kde[k]);
            }
            return sum;
        }

        double step = 0.01 * sigma0, best = double.NaN, bestResidual = double.PositiveInfinity;
        for (int k = 5; k < 200; k++)
        {
            double sigma = k * step;
            double r = Residual(sigma);
            if (r < bestResidual) { bestResidual = r; best = sigma; }
        }
        // scipy's brute polishes its grid optimum with fmin; a golden-section search within one step does the same job.
        best = GoldenSection(Residual, best - step, best + step, bestResidual, best);
        return best * best * mean;
    }

    private static double LinearKernelDensity(double[] ascending, double x, double bandwidth)
    {
        int start = Array.BinarySearch(ascending, x - bandwidth);
        if (start < 0) start = ~start;
        double sum = 0;
        for (int i = start; i < ascending.Length && ascending[i] < x + bandwidth; i++)
            sum += 1 - Math.Abs(x - ascending[i]) / bandwidth;
        return sum / (ascending.Length * bandwidth);
    }

    /// <summary>Quarter-circle law of the singular values of W/√N for N = M: √(4σ² − s²)/(πσ²) on [0, 2σ].</summary>
    private static double QuarterCircleDensity(double s, double sigma2) =>
        s < 0 || s * s >= 4 * sigma2 ? 0 : Math.Sqrt(4 * sigma2 - s * s) / (Math.PI * sigma2);

    private static double GoldenSection(Func<double, double> f, double lo, double hi, double bestValue, double bestX)
    {
        double ratio = (Math.Sqrt(5) - 1) / 2;
        lo = Math.Max(lo, 1e-12);
        double c = hi - ratio * (hi - lo), d = lo + ratio * (hi - lo), fc = f(c), fd = f(d);
        for (int i = 0; i < 40; i++)
        {
            if (fc < fd) { hi = d; d = c; fd = fc; c = hi - ratio * (hi - lo); fc = f(c); }
            else { lo = c; c = d; fc = fd; d = lo + ratio * (hi - lo); fd = f(d); }
        }
        double x = (lo + hi) / 2, fx = f(x);
        return fx < bestValue ? x : bestX;
    }

    private static double Square(double x) => x * x;
}
