using MathNet.Numerics.Integration;
using MathNet.Numerics.RootFinding;

namespace SpectralGate.Engine.Metrics;

/// <summary>
/// CDF and quantiles of the standard Marchenko–Pastur law (σ² = 1) with aspect ratio y = M/N ≤ 1, on [a, b] = [(1−√y)², (1+√y)²],
/// density 1/(2πyλ)·√((b−λ)(λ−a)). With λ = a + (b−a)sin²(t/2) the integrand (b−a)²sin²t/(8πyλ) is smooth on [0, π]
/// (also at y = 1, where it is cos²(t/2)/(2π)), so a 64-point Gauss–Legendre rule is exact to round-off.
/// </summary>
public static class MarchenkoPasturQuantile
{
    private const int Order = 64;

    /// <summary>P(λ ≤ x) for the standard law with ratio <paramref name="y"/> in (0, 1].</summary>
    public static double Cdf(double x, double y)
    {
        var (a, b) = Edges(y);
        if (x <= a) return 0;
        if (x >= b) return 1;
        return CdfAtAngle(2 * Math.Asin(Math.Sqrt((x - a) / (b - a))), y);
    }

    /// <summary>The p-quantile of the standard law with ratio <paramref name="y"/> in (0, 1]; p in [0, 1].</summary>
    public static double Quantile(double p, double y)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(p, 0);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(p, 1);
        var (a, b) = Edges(y);
        if (p == 0) return a;
        if (p == 1) return b;
        double t = Brent.FindRoot(angle => CdfAtAngle(angle, y) - p, 0, Math.PI, 1e-15, 200);
        double half = Math.Sin(t / 2);
        return a + (b - a) * half * half;
    }

    private static (double A, double B) Edges(double y)
    {
        if (!(y > 0 && y <= 1)) throw new ArgumentOutOfRangeException(nameof(y), y, "the aspect ratio M/N must be in (0, 1]");
        double root = Math.Sqrt(y);
        return ((1 - root) * (1 - root), (1 + root) * (1 + root));
    }

    private static double CdfAtAngle(double angle, double y)
    {
        if (angle <= 0) return 0;
        var (a, b) = Edges(y);
        double width = b - a;
        // Half-angle forms, λ = a + width·sin²(t/2) and sin t = 2 sin(t/2) cos(t/2), avoid the cancellation of 1 − cos t near 0.
        return GaussLegendreRule.Integrate(t =>
        {
            double s = Math.Sin(t / 2), c = Math.Cos(t / 2);
            double s2 = s * s;
            return width * width * s2 * c * c / (2 * Math.PI * y * (a + width * s2));
        }, 0, angle, Order);
    }
}
