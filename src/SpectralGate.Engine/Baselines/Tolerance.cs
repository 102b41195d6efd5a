using System.Globalization;

namespace SpectralGate.Engine.Baselines;

/// <summary>
/// How far a metric may move from its baseline: <c>|actual − expected| ≤ Absolute + Relative·|expected|</c>
/// (numpy <c>isclose</c> semantics; asymmetric, the baseline is the reference).
/// </summary>
public readonly record struct Tolerance(double Absolute, double Relative)
{
    public static Tolerance Exact => new(0, 0);

    public double Allowed(double expected) => Absolute + Relative * Math.Abs(expected);

    public bool Accepts(double expected, double actual) => Math.Abs(actual - expected) <= Allowed(expected);

    public override string ToString()
    {
        string a = Absolute.ToString("R", CultureInfo.InvariantCulture);
        string r = Relative.ToString("R", CultureInfo.InvariantCulture);
        return Relative == 0 ? $"±{a}" : Absolute == 0 ? $"±{Relative * 100:0.###}%".Replace(',', '.') : $"±({a} + {Relative * 100:0.###}%)".Replace(',', '.');
    }
}
