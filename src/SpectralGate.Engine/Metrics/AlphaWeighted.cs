namespace SpectralGate.Engine.Metrics;

/// <summary>α̂ = α·log10 λ_max (Martin &amp; Mahoney's weighted alpha; WeightWatcher <c>alpha_weighted</c>, FARMS <c>alpha_hat</c>).</summary>
public static class AlphaWeighted
{
    public static double Compute(double alpha, double lambdaMax) => alpha * Math.Log10(lambdaMax);
}
