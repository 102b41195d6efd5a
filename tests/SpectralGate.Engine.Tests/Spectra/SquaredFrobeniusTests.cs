using SpectralGate.Engine.Spectra;
using static TorchSharp.torch;

namespace SpectralGate.Engine.Tests.Spectra;

/// <summary>‖W‖²_F summed block by block against the exact integer sum of squares.</summary>
public class SquaredFrobeniusTests
{
    [TestCase(3001, 700)] // three blocks of 1497 rows and a short last one
    [TestCase(5, 3)]      // one block
    [TestCase(1, 2_000_000)] // one row wider than a block
    public void TheSumOfSquaresIsExactOnIntegerEntries(int rows, int cols)
    {
        // Entries in -5..5: squares and their sums are integers, exact in float32 and float64, so any lost or repeated block shows.
        var values = new float[(long)rows * cols];
        long expected = 0;
        for (long i = 0; i < rows; i++)
            for (long j = 0; j < cols; j++)
            {
                long v = (i * 7 + j * 3) % 11 - 5;
                values[i * cols + j] = v;
                expected += v * v;
            }
        using var w = tensor(values).reshape(rows, cols);

        Assert.That(SquaredFrobenius.Of(w), Is.EqualTo((double)expected));
    }

    [Test]
    public void AVectorIsRefused() =>
        Assert.Throws<ArgumentException>(() => SquaredFrobenius.Of(ones(4)));
}
