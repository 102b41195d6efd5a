using System.Globalization;

namespace SpectralGate.Engine.Trajectories.Statistics;

/// <summary>A closed band lower ≤ value ≤ upper; either side may be open (null).</summary>
public readonly record struct ValueBound(double? Lower, double? Upper)
{
    public static ValueBound Between(double lower, double upper) =>
        lower <= upper ? new(lower, upper) : throw new ArgumentException($"the band [{lower}, {upper}] is empty: its lower end exceeds its upper end.");

    public static ValueBound AtLeast(double lower) => new(lower, null);

    public static ValueBound AtMost(double upper) => new(null, upper);

    public bool Accepts(double value) => (Lower is not double l || value >= l) && (Upper is not double u || value <= u);

    public override string ToString() => (Lower, Upper) switch
    {
        (double l, double u) => $"in [{N(l)}, {N(u)}]",
        (double l, null) => $"≥ {N(l)}",
        (null, double u) => $"≤ {N(u)}",
        _ => "unbounded",
    };

    private static string N(double v) => v.ToString("G6", CultureInfo.InvariantCulture);
}
