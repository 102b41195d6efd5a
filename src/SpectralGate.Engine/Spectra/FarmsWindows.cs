namespace SpectralGate.Engine.Spectra;

/// <summary>
/// FARMS window plan (Hu et al., ICML 2025; HUST-AI-HYZ/FARMS <c>sampling.fixed_sampling</c>; metrics-reference §3): windows of
/// r rows × int(r·Q) columns at grid positions start = min(i·step, dim − size), step = max(1, (dim − size) // (ops − 1)),
/// min(ops, max(1, (dim − size)//step + 1)) positions per dimension. The engine pools the windows' σ² and fits α once
/// (<c>alpha_farms</c>).
/// </summary>
public static class FarmsWindows
{
    /// <summary>The windows of a rows × cols matrix, row-major over their grid positions.</summary>
    public static IReadOnlyList<FarmsWindow> Plan(int rows, int cols, FarmsOptions options) =>
        Plan(rows, cols, options.WindowSize, options.AspectRatio, options.WindowsPerDimension);

    /// <param name="rows">Matrix rows.</param>
    /// <param name="cols">Matrix columns.</param>
    /// <param name="windowRows">r, FARMS <c>num_row_samples</c>.</param>
    /// <param name="aspectRatio">Q ratio, columns = int(r·ratio).</param>
    /// <param name="windowsPerDimension">ops, FARMS <c>sampling_ops_per_dim</c>.</param>
    public static IReadOnlyList<FarmsWindow> Plan(int rows, int cols, int windowRows, double aspectRatio, int windowsPerDimension)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(rows, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(cols, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(windowsPerDimension, 1);
        var (r, c) = WindowShape(rows, cols, windowRows, aspectRatio);
        var rowStarts = Starts(rows, r, windowsPerDimension);
        var colStarts = Starts(cols, c, windowsPerDimension);
        var windows = new List<FarmsWindow>(rowStarts.Count * colStarts.Count);
        foreach (int rs in rowStarts)
            foreach (int cs in colStarts)
                windows.Add(new FarmsWindow(rs, cs, r, c));
        return windows;
    }

    /// <summary>
    /// The window shape: (r, int(r·ratio)), with r first shrunk to fit the matrix while keeping the ratio,
    /// r = min(r, rows, ⌊cols/ratio⌋), and never below one row or column.
    /// </summary>
    public static (int Rows, int Cols) WindowShape(int rows, int cols, int windowRows, double aspectRatio)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(windowRows, 1);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(aspectRatio);
        int r = (int)Math.Max(1, Math.Min(Math.Min(windowRows, rows), Math.Floor(cols / aspectRatio + 1e-9)));
        int c = Math.Clamp((int)(r * aspectRatio + 1e-9), 1, cols);
        return (r, c);
    }

    /// <summary>The FARMS step along a dimension: max(1, (dim − size) // (ops − 1)); one window (step dim − size) when ops = 1.</summary>
    public static int Step(int dim, int size, int ops) => ops <= 1 ? Math.Max(1, dim - size) : Math.Max(1, (dim - size) / (ops - 1));

    /// <summary>Window starts along a dimension: min(i·step, dim − size) for i &lt; min(ops, max(1, (dim − size)//step + 1)).</summary>
    public static IReadOnlyList<int> Starts(int dim, int size, int ops)
    {
        int step = Step(dim, size, ops);
        int count = Math.Min(ops, Math.Max(1, (dim - size) / step + 1));
        var starts = new int[count];
        for (int i = 0; i < count; i++) starts[i] = Math.Min(i * step, dim - size);
        return starts;
    }
}
