namespace SpectralGate.Engine.Metrics;

/// <summary>Settings of <see cref="PowerLawFit"/>; the defaults are WeightWatcher's (<c>constants.py</c>).</summary>
public sealed class PowerLawOptions
{
    /// <summary>Eigenvalues at or below this are left out of the fit (WeightWatcher EVALS_THRESH = 1e-5).</summary>
    public double Threshold { get; init; } = 1e-5;

    /// <summary>Fewer eigenvalues above <see cref="Threshold"/> leave the fit undefined (WeightWatcher MIN_EVALS = 10).</summary>
    public int MinEigenvalues { get; init; } = 10;

    public PowerLawFixFingers FixFingers { get; init; } = PowerLawFixFingers.None;

    public static PowerLawOptions Default { get; } = new();


}
