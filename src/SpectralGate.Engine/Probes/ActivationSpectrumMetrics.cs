namespace SpectralGate.Engine.Probes;

/// <summary>
/// NerVE's metrics of an activation covariance spectrum (Jha &amp; Reagen, ICLR 2026; reference code
/// <c>nerve/metrics.py</c>), with p = λ/Σλ on eigenvalues sorted descending. Test vectors for λ = [4,3,2,1]:
/// SE 1.2798542258, PR 3.3333333333, EEE 0.25; JS against uniform 0.0278656135.
/// </summary>
public static class ActivationSpectrumMetrics
{
    /// <summary>Spectral entropy SE = −Σ p ln p, in [0, ln D].</summary>
    public static double SpectralEntropy(ReadOnlySpan<double> lambda)
    {
        double total = Sum(lambda), entropy = 0;
        foreach (double l in lambda)
        {
            if (l <= 0) continue;
            double p = l / total;
            entropy -= p * Math.Log(p);
        }
        return entropy;
    }

    /// <summary>Participation ratio PR = (Σλ)²/Σλ², in [1, D].</summary>
    public static double ParticipationRatio(ReadOnlySpan<double> lambda)
    {
        double sum = 0, squares = 0;
        foreach (double l in lambda) { sum += l; squares += l * l; }
        return sum * sum / squares;
    }

    /// <summary>Eigenvalue early enrichment EEE = Σ_k (C_k − k/D)/(D/2), clamped to [0, 1] (Marbut et al. 2023).</summary>
    public static double EarlyEnrichment(ReadOnlySpan<double> lambdaDescending)
    {
        int d = lambdaDescending.Length;
        double total = Sum(lambdaDescending), cumulative = 0, area = 0;
        for (int k = 1; k <= d; k++)
        {
            cumulative += lambdaDescending[k - 1];
            area += cumulative / total - (double)k / d;
        }
        return Math.Clamp(area / (d / 2.0), 0, 1);
    }

    /// <summary>Jensen–Shannon divergence (natural log) of two normalised spectra; the shorter is zero-padded.</summary>
    public static double JensenShannon(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        int n = Math.Max(a.Length, b.Length);
        double sa = Sum(a), sb = Sum(b), js = 0;
        for (int i = 0; i < n; i++)
        {
            double p = i < a.Length ? a[i] / sa : 0;
            double q = i < b.Length ? b[i] / sb : 0;
            double m = (p + q) / 2;
            if (p > 0) js += 0.5 * p * Math.Log(p / m);
            if (q > 0) js += 0.5 * q * Math.Log(q / m);
        }
        return js;
    }

    /// <summary>
    /// RankMe (Garrido et al., ICML 2023): exp(−Σ p ln p) with p = σ/Σσ + ε on the singular values of the raw
    /// embedding matrix, ε = 1e-7 added after normalising (so Σp ≠ 1 exactly). σ = [3,2,1] gives 2.7494594344.
    /// </summary>
    public static double RankMe(ReadOnlySpan<double> singularValues, double epsilon = 1e-7)
    {
        double total = Sum(singularValues), entropy = 0;
        foreach (double s in singularValues)
        {
            double p = s / total + epsilon;
            entropy -= p * Math.Log(p);
        }
        return Math.Exp(entropy);
    }

    /// <summary>
    /// α-ReQ (Agrawal et al., NeurIPS 2022; reptrix <c>get_powerlaw</c>): weighted least squares (weights 1/r) of
    /// log λ_r on −log r over ranks <paramref name="firstRank"/>..<paramref name="lastRank"/>; λ_r = r^(−1.5) gives 1.5.
    /// Null when the spectrum is shorter than <paramref name="lastRank"/>.
    /// </summary>
    public static double? AlphaReq(ReadOnlySpan<double> lambdaDescending, int firstRank = 6, int lastRank = 100)
    {
        if (lambdaDescending.Length < lastRank) return null;
        double sw = 0, sx = 0, sy = 0, sxx = 0, sxy = 0;
        for (int r = firstRank; r <= lastRank; r++)
        {
            double l = lambdaDescending[r - 1];
            if (l <= 0) return null;
            double w = 1.0 / r, x = -Math.Log(r), y = Math.Log(l);
            sw += w; sx += w * x; sy += w * y; sxx += w * x * x; sxy += w * x * y;
        }
        return (sw * sxy - sx * sy) / (sw * sxx - sx * sx);
    }

    private static double Sum(ReadOnlySpan<double> values)
    {
        double s = 0;
        foreach (double v in values) s += v;
        return s;
    }
}
