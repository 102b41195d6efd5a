using SpectralGate.Engine.Metrics;
using SpectralGate.Engine.Spectra;
using static TorchSharp.torch;

namespace SpectralGate.Engine.Tests.Spectra;

/// <summary>
/// alpha_farms and the pooled window ESD are byte-identical at 1, 2 and 4 libtorch threads, in float64 and float32
/// (without a single-threaded scope, float32 alpha_farms of a 768 × 3072 layer moved by about 1e-6 between 1 and 2 threads).
/// </summary>
[NonParallelizable] // sets libtorch's thread count
public class FarmsSpectrumDeterminismTests
{
    [TestCase(ScalarType.Float64)]
    [TestCase(ScalarType.Float32)]
    public void PooledWindowsAreTheSameBitsAtAnyThreadCount(ScalarType dtype)
    {
        int threads = get_num_threads();
        try
        {
            var generator = new Generator(7);
            foreach (var (rows, cols) in new[] { (384, 1536), (768, 3072), (3072, 768) })
            {
                using var w = (randn(rows, cols, generator: generator, dtype: ScalarType.Float64) / Math.Sqrt(cols)).to(dtype);
                var runs = new List<(double[] Eigenvalues, double? Alpha)>();
                foreach (int n in new[] { 1, 2, 4 })
                {
                    set_num_threads(n);
                    double[] ev = FarmsSpectrum.Eigenvalues(w, new FarmsOptions());
                    runs.Add((ev, PowerLawFit.Fit(ev)?.Alpha));
                }
                for (int k = 1; k < runs.Count; k++)
                {
                    Assert.That(runs[k].Eigenvalues, Is.EqualTo(runs[0].Eigenvalues), $"{rows}x{cols} {dtype} eigenvalues");
                    Assert.That(BitConverter.DoubleToInt64Bits(runs[k].Alpha!.Value), Is.EqualTo(BitConverter.DoubleToInt64Bits(runs[0].Alpha!.Value)), $"{rows}x{cols} {dtype} alpha_farms");
                }
                Assert.That(get_num_threads(), Is.EqualTo(4), "the caller's thread count is restored");
            }
        }
        finally
        {
            set_num_threads(threads);
        }
    }
}
