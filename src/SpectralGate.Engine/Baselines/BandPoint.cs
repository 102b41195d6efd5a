namespace SpectralGate.Engine.Baselines;

/// <summary>
/// The baseline of one metric of one layer at one step: the seeds' core range [<see cref="Low"/>, <see cref="High"/>]
/// before the tolerance widens it, their mean, and how many seeds had the metric undefined there. A single run is the
/// band of one seed: Low = High = Mean = its value, so the check reduces to <c>|actual − baseline| ≤ atol + rtol·|baseline|</c>.
/// </summary>
/// <remarks>Low, High and Mean are null when every seed had the metric undefined; <c>Undefined</c> counts the seeds whose
/// value was undefined here (an undefined actual value is accepted when one was).</remarks>
public readonly record struct BandPoint(long Step, double? Low, double? High, double? Mean, int Undefined)
{
    public static BandPoint Of(long step, double? value) => new(step, value, value, value, value is null ? 1 : 0);

    /// <summary>Whether <paramref name="actual"/> lies in the band widened by <paramref name="tolerance"/> at its nearer edge.</summary>
    public bool Accepts(double actual, Tolerance tolerance)
    {
        if (Low is not double low || High is not double high || !double.IsFinite(actual)) return false;
        // The same test as Tolerance.Accepts at the nearer edge, so a one-seed band judges bit for bit as a signature baseline does.
        return actual < low ? tolerance.Accepts(low, actual) : actual <= high || tolerance.Accepts(high, actual);
    }

    /// <summary>The accepted range: the core widened by the tolerance at each edge (what a plot draws).</summary>
    public (double Low, double High)? Accepted(Tolerance tolerance) =>
        Low is double low && High is double high ? (low - tolerance.Allowed(low), high + tolerance.Allowed(high)) : null;

    /// <summary>How far outside the core <paramref name="actual"/> lies, in tolerances (1 = at the widened edge).</summary>
    public double Excess(double actual, Tolerance tolerance)
    {
        if (Low is not double low || High is not double high || !double.IsFinite(actual)) return double.PositiveInfinity;
        double edge = actual < low ? low : actual > high ? high : actual;
        double allowed = tolerance.Allowed(edge);
        return actual == edge ? 0 : allowed == 0 ? double.PositiveInfinity : Math.Abs(actual - edge) / allowed;
    }
}
