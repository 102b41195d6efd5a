using System.Globalization;

namespace SpectralAssert.Metrics;

/// <summary>
/// FARMS (Hu et al., ICML 2025; HUST-AI-HYZ/FARMS <c>fixed_sampling</c>): square windows of side <see cref="WindowSize"/>
/// on a grid of at most <see cref="WindowsPerDimension"/>² overlapping positions; their ESDs are pooled and fitted once.
/// SpectralGate pins its own defaults (the paper's scripts use 2000×2000 × 15² for LLaMA, 100×100 × 9² for ResNets).
/// </summary>
public sealed class FarmsOptions
{
    /// <summary>Window side (rows = cols, Q ratio 1); shrunk to the matrix's smaller side when larger.</summary>
    public int WindowSize { get; init; } = 128;

    /// <summary>Window positions per dimension ("sampling_ops_per_dim").</summary>
    public int WindowsPerDimension { get; init; } = 8;

    public string Describe() => string.Create(CultureInfo.InvariantCulture, $"window={WindowSize},per_dim={WindowsPerDimension}");
}

/// <summary>One window: rows [RowStart, RowStart+Rows), columns [ColStart, ColStart+Cols).</summary>
public readonly record struct FarmsWindow(int RowStart, int ColStart, int Rows, int Cols);

public static class FarmsWindows
{
    /// <summary>The windows of a rows × cols matrix, in row-major order of their grid positions.</summary>
    public static IReadOnlyList<FarmsWindow> Plan(int rows, int cols, FarmsOptions options)
    {
        int side = Math.Min(options.WindowSize, Math.Min(rows, cols));
        var rowStarts = Starts(rows, side, options.WindowsPerDimension);
        var colStarts = Starts(cols, side, options.WindowsPerDimension);
        var windows = new List<FarmsWindow>(rowStarts.Count * colStarts.Count);
        foreach (int r in rowStarts)
            foreach (int c in colStarts)
                windows.Add(new FarmsWindow(r, c, side, side));
        return windows;
    }

    /// <summary>step = max(1, (dim − r) // (ops − 1)); count = min(ops, max(1, (dim − r)//step + 1)); start = min(i·step, dim − r).</summary>
    public static IReadOnlyList<int> Starts(int dim, int window, int ops)
    {
        int step = ops <= 1 ? Math.Max(1, dim - window) : Math.Max(1, (dim - window) / (ops - 1));
        int count = Math.Min(ops, Math.Max(1, (dim - window) / step + 1));
        return Enumerable.Range(0, count).Select(i => Math.Min(i * step, dim - window)).Distinct().ToList();
    }
}
