using System.Globalization;

namespace SpectralGate.Engine.Signatures;

/// <summary>
/// How numbers are written to signature files: rounded to <see cref="SignificantDigits"/> significant digits, then in
/// shortest round-trip form with the invariant culture. The rounding sits far below any tolerance and keeps last-bit
/// differences of parallel BLAS (different thread counts, different machines) out of the file.
/// </summary>
public static class CanonicalNumber
{
    public const int SignificantDigits = 10;

    public static double Round(double value)
    {
        if (!double.IsFinite(value) || value == 0) return value == 0 ? 0 : value; // also turns -0 into 0
        return double.Parse(value.ToString("E" + (SignificantDigits - 1), CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
    }

    public static string Format(double value) => Round(value).ToString("R", CultureInfo.InvariantCulture);
}
