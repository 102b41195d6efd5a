using TorchSharp;

namespace SpectralAssert.Spectra;

/// <summary>
/// Divides a matrix by the power of two nearest max|W| before its spectrum is taken, and multiplies the eigenvalues
/// back. Finite weights near the float range (found by fuzzing: 1e37 in float32) otherwise overflow the Gram to Inf.
/// Scaling by a power of two is exact, so ordinary weights give bit-identical spectra.
/// </summary>
internal static class PowerOfTwoScale
{
    /// <summary>The scaled matrix and the exponent e with matrix = scaled·2^e; null when the matrix is all zero.</summary>
    public static (torch.Tensor Scaled, int Exponent)? Normalize(torch.Tensor matrix)
    {
        double maxAbs = matrix.abs().max().to(torch.ScalarType.Float64).cpu().item<double>();
        if (maxAbs == 0) return null;
        int exponent = Math.ILogB(maxAbs);
        return (exponent != 0 ? matrix * Math.ScaleB(1.0, -exponent) : matrix, exponent);
    }

    /// <summary>Eigenvalues of the scaled matrix's Gram back in the original units (× 2^(2e)), in place.</summary>
    public static double[] Restore(double[] eigenvalues, int exponent)
    {
        if (exponent != 0)
            for (int i = 0; i < eigenvalues.Length; i++) eigenvalues[i] = Math.ScaleB(eigenvalues[i], 2 * exponent);
        return eigenvalues;
    }
}
