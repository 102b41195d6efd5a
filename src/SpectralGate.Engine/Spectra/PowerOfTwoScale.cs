using TorchSharp;

namespace SpectralGate.Engine.Spectra;

/// <summary>
/// Divides a matrix by the power of two nearest max|W| before its spectrum is taken, and multiplies the eigenvalues
/// back. Finite weights near the float range (found by fuzzing: 1e37 in float32) otherwise overflow the Gram to Inf.
/// Scaling by a power of two is exact, so ordinary weights give bit-identical spectra either way, and for them (max|W|
/// within 2^±<see cref="SafeExponent"/>) the scaled copy is not made at all.
/// </summary>
internal static class PowerOfTwoScale
{
    /// <summary>
    /// Largest |log2 max|W|| left unscaled. Within it the float32 Gram of a matrix up to 2^30 wide stays below 2^94 and
    /// above 2^-64, far from overflow and from LAPACK's own rescaling of its input (norms outside about 2^±63).
    /// </summary>
    public const int SafeExponent = 16;

    /// <summary>The matrix to use (scaled or <paramref name="matrix"/> itself) and the exponent e with matrix = scaled·2^e; null when the matrix is all zero.</summary>
    public static (torch.Tensor Scaled, int Exponent)? Normalize(torch.Tensor matrix)
    {
        // max|W| from the two extremes: abs() would allocate a temporary as large as the matrix (500 MB for a
        // 32000x2048 embedding in float64). NaN propagates through both.
        double maxAbs = Math.Max(Math.Abs(Extreme(matrix.max())), Math.Abs(Extreme(matrix.min())));
        if (maxAbs == 0) return null;
        int exponent = Math.ILogB(maxAbs);
        if (Math.Abs(exponent) <= SafeExponent) return (matrix, 0);
        return (matrix * Math.ScaleB(1.0, -exponent), exponent);
    }

    /// <summary>Eigenvalues of the scaled matrix's Gram back in the original units (× 2^(2e)), in place.</summary>
    public static double[] Restore(double[] eigenvalues, int exponent)
    {
        if (exponent != 0)
            for (int i = 0; i < eigenvalues.Length; i++) eigenvalues[i] = Math.ScaleB(eigenvalues[i], 2 * exponent);
        return eigenvalues;
    }

    private static double Extreme(torch.Tensor scalar)
    {
        using (scalar)
        using (var wide = scalar.to(torch.ScalarType.Float64).cpu())
            return wide.item<double>();
    }
}
