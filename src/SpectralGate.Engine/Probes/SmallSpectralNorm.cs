namespace SpectralGate.Engine.Probes;

/// <summary>
/// ‖A‖₂ of a small dense n × n matrix (row-major) in managed float64: √λ_max(AᵀA), the Gram's eigenvalues by cyclic
/// Jacobi rotations (Numerical Recipes §11.1), which converge quadratically and leave λ_max accurate to a few ulps.
/// Per matrix, with no libtorch call: a mixer probe sees one n × n matrix per token (n = 4 in the papers), where a
/// batched <c>svdvals</c> spends its time in per-matrix dispatch, and the sequential arithmetic gives the same bits on
/// any thread count.
/// </summary>
internal static class SmallSpectralNorm
{
    private const int MaxSweeps = 64;

    /// <summary>The spectral norm of <paramref name="a"/> (n², row-major); <paramref name="scratch"/> holds at least n² values.</summary>
    public static double Of(ReadOnlySpan<double> a, int n, Span<double> scratch)
    {
        var g = scratch[..(n * n)];
        double total = 0;
        for (int i = 0; i < n; i++)
            for (int j = i; j < n; j++)
            {
                double s = 0;
                for (int k = 0; k < n; k++) s += a[k * n + i] * a[k * n + j];
                g[i * n + j] = s;
                g[j * n + i] = s;
                total += i == j ? s * s : 2 * s * s;
            }
        if (total == 0) return 0;

        for (int sweep = 0; sweep < MaxSweeps; sweep++)
        {
            double off = 0;
            for (int p = 0; p < n; p++)
                for (int q = p + 1; q < n; q++) off += g[p * n + q] * g[p * n + q];
            if (off <= 1e-34 * total) break;
            for (int p = 0; p < n; p++)
                for (int q = p + 1; q < n; q++)
                {
                    double apq = g[p * n + q];
                    if (apq == 0) continue;
                    double theta = (g[q * n + q] - g[p * n + p]) / (2 * apq);
                    double t = Math.Abs(theta) > 1e150 ? 0.5 / theta : Math.Sign(theta == 0 ? 1 : theta) / (Math.Abs(theta) + Math.Sqrt(theta * theta + 1));
                    double c = 1 / Math.Sqrt(t * t + 1), s = t * c;
                    for (int k = 0; k < n; k++)
                    {
                        double gkp = g[k * n + p], gkq = g[k * n + q];
                        g[k * n + p] = c * gkp - s * gkq;
                        g[k * n + q] = s * gkp + c * gkq;
                    }
                    for (int k = 0; k < n; k++)
                    {
                        double gpk = g[p * n + k], gqk = g[q * n + k];
                        g[p * n + k] = c * gpk - s * gqk;
                        g[q * n + k] = s * gpk + c * gqk;
                    }
                    g[p * n + q] = 0;
                    g[q * n + p] = 0;
                }
        }
        double largest = 0;
        for (int i = 0; i < n; i++) largest = Math.Max(largest, g[i * n + i]);
        return Math.Sqrt(largest);
    }
}
