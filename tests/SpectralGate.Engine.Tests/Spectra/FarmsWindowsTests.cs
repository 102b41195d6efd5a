using SpectralGate.Engine.Spectra;
using SpectralGate.Engine.Metrics;

namespace SpectralGate.Engine.Tests.Spectra;

public class FarmsWindowsTests
{
    [Test]
    public void LlamaProjectionWorkedExample()
    {
        // metrics-reference §3: 4096 × 4096, 2000-row square windows, 15 per dimension.
        int step = Math.Max(1, (4096 - 2000) / (15 - 1));
        var expectedStarts = Enumerable.Range(0, 15).Select(i => Math.Min(i * step, 4096 - 2000)).ToArray();

        var windows = FarmsWindows.Plan(4096, 4096, 2000, 1.0, 15);

        Assert.That(step, Is.EqualTo(149));
        Assert.That(FarmsWindows.Step(4096, 2000, 15), Is.EqualTo(149));
        Assert.That(windows, Has.Count.EqualTo(15 * 15));
        Assert.That(windows.Select(w => w.RowStart).Distinct(), Is.EqualTo(expectedStarts));
        Assert.That(windows.Select(w => w.ColStart).Distinct().Order(), Is.EqualTo(expectedStarts));
        Assert.That(windows, Has.All.Matches<FarmsWindow>(w => w.Rows == 2000 && w.Cols == 2000));
        Assert.That(windows.Sum(w => Math.Min(w.Rows, w.Cols)), Is.EqualTo(450_000), "pooled eigenvalues");
        Assert.That(windows[1], Is.EqualTo(new FarmsWindow(0, 149, 2000, 2000)), "row-major");
    }

    [Test]
    public void WindowShrinksToASmallerMatrix()
    {
        // Default 128-row square windows on a 64 × 32 matrix: 32 × 32; rows step max(1, 32 // 7) = 4, 8 positions; one column position.
        var windows = FarmsWindows.Plan(64, 32, new FarmsOptions());

        Assert.That(windows, Has.Count.EqualTo(8));
        Assert.That(windows.Select(w => w.RowStart), Is.EqualTo(new[] { 0, 4, 8, 12, 16, 20, 24, 28 }));
        Assert.That(windows, Has.All.Matches<FarmsWindow>(w => w.Rows == 32 && w.Cols == 32 && w.ColStart == 0));
    }

    [Test]
    public void AspectRatioSetsTheColumns()
    {
        var windows = FarmsWindows.Plan(300, 1000, 100, 2.0, 3);

        // rows: step (300 − 100) // 2 = 100, starts 0, 100, 200; columns: 200 wide, step 400, starts 0, 400, 800.
        Assert.That(windows, Has.All.Matches<FarmsWindow>(w => w.Rows == 100 && w.Cols == 200));
        Assert.That(windows.Select(w => w.RowStart).Distinct(), Is.EqualTo(new[] { 0, 100, 200 }));
        Assert.That(windows.Select(w => w.ColStart).Distinct(), Is.EqualTo(new[] { 0, 400, 800 }));
    }

    [Test]
    public void AspectRatioIsKeptWhenTheWindowShrinks()
    {
        var shape = FarmsWindows.WindowShape(500, 120, 100, 2.0);

        Assert.That(shape, Is.EqualTo((60, 120)));
    }

    [Test]
    public void FewerPositionsWhenTheStepWouldRepeatThem()
    {
        // dim − size = 3 with 8 requested: step 1, min(8, 3 // 1 + 1) = 4 positions.
        var starts = FarmsWindows.Starts(131, 128, 8);

        Assert.That(starts, Is.EqualTo(new[] { 0, 1, 2, 3 }));
    }

    [Test]
    public void OnePositionPerDimensionStartsAtZero()
    {
        Assert.That(FarmsWindows.Starts(1000, 100, 1), Is.EqualTo(new[] { 0 }));
    }

    [Test]
    public void DescribeKeepsTheFormat1Spelling()
    {
        Assert.That(new FarmsOptions().Describe(), Is.EqualTo("window=128,per_dim=8"));
        Assert.That(new FarmsOptions { AspectRatio = 2 }.Describe(), Is.EqualTo("window=128,ratio=2,per_dim=8"));
    }
}
