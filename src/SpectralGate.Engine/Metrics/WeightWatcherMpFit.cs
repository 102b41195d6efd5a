namespace SpectralGate.Engine.Metrics;

/// <summary>
/// WeightWatcher's <c>mp_fit</c> (weightwatcher.py and RMT_Util.py at commit d6fd015), operation for operation
/// (<see cref="MpSigmaEstimator.WeightWatcherFit"/>):
/// <list type="bullet">
/// <item>rescale so the mean eigenvalue is 1 (W_scale² = #λ/Σλ);</item>
/// <item>σ by <c>optimize.brute</c> over <c>np.arange(0.05σ₀, 2σ₀, 0.01σ₀)</c>, σ₀ = √(λ_max/(1+1/√Q)²), polished by
/// <c>fmin</c> (<see cref="ScipyFmin"/>), minimising Σ(ρ(x) − KDE(x))² over 1000 points of [0, max + 0.5] where a linear-kernel
/// KDE of bandwidth 0.1 exceeds 0.01; a rectangular fit whose edges miss the KDE's peak or range scores 1000 per point;</item>
/// <item>on square layers (Q = 1) the fit is to the singular values with WeightWatcher's <c>quarter_circle_fun</c>
/// √(4 − x²)/(πσ²), which is the textbook law √(4σ² − x²)/(πσ²) only at σ = 1 (<see cref="QuarterCircleDensity"/>);</item>
/// <item><c>bulk_max</c> = (σ(1+1/√Q))², spikes above bulk_max + √(Q^(−1/2)·bulk_max^(2/3)·M^(−2/3)), <c>mp_softrank</c> =
/// bulk_max/λ_max, all on the rescaled spectrum; bulk_max is then mapped back to the units of λ.</item>
/// </list>
/// WeightWatcher's <c>sigma_mp</c> is the rescaled σ; <c>mp_sigma</c> here is σ in the units of W's entries, σ·√(mean λ / N).
/// </summary>
public static class WeightWatcherMpFit
{
    private const int GridPoints = 1000;
    private const double Bandwidth = 0.1, DensityFloor = 0.01;

    /// <summary>The fit of a spectrum λ = σ(W)² (descending, no 1/N, possibly pooled), N × M with N ≥ M; null if Σλ = 0.</summary>
    public static MarchenkoPasturFit? Fit(ReadOnlySpan<double> eigenvaluesDescending, int n, int m)
    {
        int count = eigenvaluesDescending.Length;
        var evals = new double[count];
        for (int i = 0; i < count; i++) evals[i] = Math.Max(0, eigenvaluesDescending[count - 1 - i]);
        double sum = 0;
        foreach (double l in evals) sum += l;
        if (!(sum > 0)) return null;
        double wScale = Math.Sqrt(count) / Math.Sqrt(sum), scale2 = wScale * wScale;
        var toPlot = new double[count];
        for (int i = 0; i < count; i++) toPlot[i] = scale2 * evals[i];
        double lambdaMax = toPlot[^1];

        double q = (double)n / m;
        double sigma = FitSigma(toPlot, q);
        double bulkMax = Square(sigma * (1 + 1 / Math.Sqrt(q)));
        double tw = 1 / Math.Sqrt(q) * Math.Pow(bulkMax, 2.0 / 3) * Math.Pow(m, -2.0 / 3);
        double cut = bulkMax + Math.Sqrt(tw);
        int spikes = 0;
        foreach (double l in toPlot) if (l > cut) spikes++;
        double meanOverN = sum / count / n;
        return new MarchenkoPasturFit(sigma * Math.Sqrt(meanOverN), bulkMax / scale2, cut / scale2, spikes, bulkMax / lambdaMax);
    }

    /// <summary>WeightWatcher's <c>quarter_circle_fun</c>: √(4 − x²)/(πσ²), 0 where the root is undefined (its nan_to_num).</summary>
    public static double QuarterCircleDensity(double x, double sigma)
    {
        double value = 1 / (Math.PI * sigma * sigma) * Math.Sqrt(4 - x * x);
        return double.IsNaN(value) ? 0 : value;
    }

    /// <summary>The textbook quarter-circle law of the singular values of W/√N, N = M, entries of variance σ²: √(4σ² − x²)/(πσ²) on [0, 2σ].</summary>
    public static double TextbookQuarterCircleDensity(double x, double sigma) =>
        x < 0 || x * x >= 4 * sigma * sigma ? 0 : Math.Sqrt(4 * sigma * sigma - x * x) / (Math.PI * sigma * sigma);

    /// <summary>WeightWatcher's <c>marchenko_pastur_fun</c> with its own operation order (y = 1/Q, edges from √(1/Q)).</summary>
    private static (double Value, double A, double B) MpDensity(double x, double q, double sigma)
    {
        double y = 1 / q;
        double b = Square(sigma * (1 + Math.Sqrt(1 / q)));
        double a = Square(sigma * (1 - Math.Sqrt(1 / q)));
        double value = 1 / (2 * Math.PI * sigma * sigma * x * y) * Math.Sqrt((b - x) * (x - a));
        return (double.IsFinite(value) ? value : 0, a, b);
    }

    /// <summary><c>fit_density_with_range</c>: brute-force σ on its grid, then scipy's fmin from the best grid point.</summary>
    private static double FitSigma(double[] toPlotAscending, double q)
    {
        bool quarterCircle = q == 1;
        double sigma0 = Math.Sqrt(toPlotAscending[^1] / Square(1 + 1.0 / Math.Sqrt(q)));
        double[] toFit = quarterCircle ? Array.ConvertAll(toPlotAscending, Math.Sqrt) : toPlotAscending;

        // KDE on np.linspace(0, max + 0.5, 1000), keeping the points where it exceeds 0.01 (resid_mp).
        double stop = toFit[^1] + 0.5, step = stop / (GridPoints - 1);
        var xs = new List<double>(GridPoints);
        var kde = new List<double>(GridPoints);
        for (int k = 0; k < GridPoints; k++)
        {
            double x = k == GridPoints - 1 ? stop : k * step;
            double y = LinearKernelDensity(toFit, x);
            if (y > DensityFloor) { xs.Add(x); kde.Add(y); }
        }
        if (xs.Count == 0) return double.NaN;
        int peak = 0;
        for (int k = 1; k < kde.Count; k++) if (kde[k] > kde[peak]) peak = k;
        double xPeak = xs[peak], xLast = xs[^1];

        double Residual(double sigma)
        {
            double sum = 0;
            for (int k = 0; k < xs.Count; k++)
            {
                double model;
                if (quarterCircle) model = QuarterCircleDensity(xs[k], sigma);
                else
                {
                    var (value, a, b) = MpDensity(xs[k], q, sigma);
                    if (b < xPeak || b > xLast || a > xPeak) return 1000.0 * 1000.0 * xs.Count;
                    model = value;
                }
                sum += Square(model - kde[k]);
            }
            return sum;
        }

        // optimize.brute's 1-D grid is np.arange(start, stop, step): ceil((stop − start)/step) points start + i·δ, δ = (start + step) − start.
        double gridStart = 0.05 * sigma0, gridStop = 2.0 * sigma0, gridStep = 0.01 * sigma0;
        int points = (int)Math.Ceiling((gridStop - gridStart) / gridStep);
        double delta = gridStart + gridStep - gridStart;
        double best = gridStart, bestResidual = double.PositiveInfinity;
        for (int i = 0; i < points; i++)
        {
            double sigma = i == 0 ? gridStart : i == 1 ? gridStart + gridStep : gridStart + i * delta;
            double r = Residual(sigma);
            if (r < bestResidual) { bestResidual = r; best = sigma; }
        }
        return ScipyFmin.Minimize(Residual, best);
    }

    /// <summary>scikit-learn's <c>KernelDensity(kernel='linear', bandwidth=h)</c>: Σ(1 − |x − xᵢ|/h)₊/(n·h).</summary>
    private static double LinearKernelDensity(double[] ascending, double x)
    {
        int start = Array.BinarySearch(ascending, x - Bandwidth);
        if (start < 0) start = ~start;
        while (start > 0 && ascending[start - 1] >= x - Bandwidth) start--;
        double sum = 0;
        for (int i = start; i < ascending.Length && ascending[i] < x + Bandwidth; i++)
            sum += 1 - Math.Abs(x - ascending[i]) / Bandwidth;
        return sum / (ascending.Length * Bandwidth);
    }

    private static double Square(double x) => x * x;
}
