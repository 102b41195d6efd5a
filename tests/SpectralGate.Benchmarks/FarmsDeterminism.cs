using System.Security.Cryptography;
using SpectralGate.Engine.Metrics;
using SpectralGate.Engine.Spectra;
using static TorchSharp.torch;

/// <summary>
/// Prints a hash of the pooled FARMS eigenvalues and alpha_farms (round-trip digits) for a few layer shapes in float64 and
/// float32. Run it at several thread counts (OMP_NUM_THREADS=1, 2, 4) and compare: every line must be identical.
/// </summary>
internal static class FarmsDeterminism
{
    public static void Run()
    {
        var generator = new Generator(7);
        foreach (var (rows, cols) in new[] { (384, 384), (384, 1536), (768, 3072), (3072, 768), (2304, 768) })
        {
            using var w = randn(rows, cols, generator: generator, dtype: ScalarType.Float64) / Math.Sqrt(cols);
            foreach (var dtype in new[] { ScalarType.Float64, ScalarType.Float32 })
            {
                using var m = w.to(dtype);
                double[] ev = FarmsSpectrum.Eigenvalues(m, new FarmsOptions());
                string hash = Convert.ToHexString(SHA256.HashData(System.Runtime.InteropServices.MemoryMarshal.AsBytes(ev.AsSpan())))[..16];
                double? alpha = PowerLawFit.Fit(ev)?.Alpha;
                Console.WriteLine($"{rows}x{cols} {dtype}: {ev.Length} eigenvalues, sha256 {hash}, alpha_farms {alpha:R}");
            }
        }
    }
}
