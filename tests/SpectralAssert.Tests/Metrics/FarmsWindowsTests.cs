using SpectralAssert.Metrics;

namespace SpectralAssert.Tests.Metrics;

public class FarmsWindowsTests
{
    [Test]
    public void TheWorkedExampleOfTheReference()
    {
        // 4096 x 4096, 2000-row windows, 15 per dimension: step (4096 − 2000) // 14 = 149, 15 x 15 windows.
        var windows = FarmsWindows.Plan(4096, 4096, new FarmsOptions { WindowSize = 2000, WindowsPerDimension = 15 });
        var starts = FarmsWindows.Starts(4096, 2000, 15);

        Assert.That(windows, Has.Count.EqualTo(225));
        Assert.That(starts, Is.EqualTo(Enumerable.Range(0, 15).Select(i => Math.Min(i * 149, 2096))));
        Assert.That(windows.All(w => w.Rows == 2000 && w.Cols == 2000), Is.True);
    }

    [Test]
    public void AMatrixSmallerThanTheWindowIsOneWindowOfItsSmallerSide()
    {
        var windows = FarmsWindows.Plan(64, 100, new FarmsOptions());

        Assert.That(windows.Select(w => (w.Rows, w.Cols)).Distinct(), Is.EqualTo(new[] { (64, 64) }));
        Assert.That(windows.Select(w => w.RowStart).Distinct(), Is.EqualTo(new[] { 0 }));
        // step = (100 − 64) // 7 = 5, starts 0, 5, ..., 35: like the reference, the grid need not reach the last column.
        Assert.That(windows.Select(w => w.ColStart), Is.EqualTo(Enumerable.Range(0, 8).Select(i => 5 * i)));
    }
}
