namespace SpectralGate.Engine.Sources.Quantized;

/// <summary>
/// The scale of each element of a weight <c>[..., out, in]</c> from a scale tensor laid out per tensor (one value),
/// per output channel (<c>[out]</c>, <c>[out, 1]</c>), or per block of rows x columns (<c>[ceil(out/r), ceil(in/c)]</c>,
/// groups being blocks of one row), optionally one grid per leading index (fused experts <c>[E, out, in]</c>).
/// </summary>
public sealed class ScaleGrid
{
    private readonly double[] _values;
    private readonly long _blockRows, _blockCols, _gridRows, _gridCols, _perMatrix;

    private ScaleGrid(double[] values, long blockRows, long blockCols, long gridRows, long gridCols, long perMatrix)
    {
        _values = values;
        _blockRows = blockRows;
        _blockCols = blockCols;
        _gridRows = gridRows;
        _gridCols = gridCols;
        _perMatrix = perMatrix;
    }

    /// <summary>How the grid lays out, in words (<c>per tensor</c>, <c>per channel</c>, <c>128x128 blocks</c>).</summary>
    public string Strategy { get; private init; } = "";

    /// <summary>The scale of element (<paramref name="row"/>, <paramref name="col"/>) of matrix <paramref name="matrix"/>.</summary>
    public double At(long matrix, long row, long col) => _values[matrix * _perMatrix + (row / _blockRows) * _gridCols + col / _blockCols];

    /// <summary>
    /// The grid of <paramref name="scale"/> over <paramref name="weightShape"/>; <paramref name="block"/> is the block
    /// the configuration states (rows, columns), or null to take it from the shapes (which must then divide evenly).
    /// </summary>
    public static ScaleGrid Of(StoredTensor scale, long[] weightShape, (long Rows, long Cols)? block)
    {
        long rows = weightShape[^2], cols = weightShape[^1];
        long matrices = weightShape[..^2].Aggregate(1L, (a, b) => a * b);
        double[] values = QuantizedValues.Floats(scale);
        if (values.Length == 1) return new ScaleGrid(values, Math.Max(rows, 1), Math.Max(cols, 1), 1, 1, 0) { Strategy = "per tensor" };

        // One grid per leading index, or one grid for all.
        long[] grid = scale.Shape;
        long perMatrix = values.Length;
        int leading = weightShape.Length - 2;
        if (leading > 0 && grid.Length > leading && grid[..leading].SequenceEqual(weightShape[..leading]))
        {
            grid = grid[leading..];
            perMatrix = values.Length / matrices;
        }
        else if (leading > 0) perMatrix = 0;

        if (grid.Length == 1 || (grid.Length == 2 && grid[1] == 1 && (block is null || block.Value.Cols >= cols)))
        {
            if (grid[0] != rows) throw Mismatch(scale, weightShape, block);
            return new ScaleGrid(values, 1, Math.Max(cols, 1), rows, 1, perMatrix) { Strategy = "per channel" };
        }
        if (grid.Length != 2) throw Mismatch(scale, weightShape, block);
        long r, c;
        if (block is { } stated)
        {
            (r, c) = stated;
            if (r <= 0 || c <= 0 || grid[0] != (rows + r - 1) / r || grid[1] != (cols + c - 1) / c) throw Mismatch(scale, weightShape, block);
        }
        else
        {
            if (grid[0] == 0 || grid[1] == 0 || rows % grid[0] != 0 || cols % grid[1] != 0) throw Mismatch(scale, weightShape, block);
            (r, c) = (rows / grid[0], cols / grid[1]);
        }
        return new ScaleGrid(values, r, c, grid[0], grid[1], perMatrix) { Strategy = r == 1 ? $"groups of {c}" : $"{r}x{c} blocks" };
    }

    private static Errors.ModelFormatException Mismatch(StoredTensor scale, long[] weightShape, (long Rows, long Cols)? block) =>
        scale.Bad($"scale shape {scale.ShapeText} fits a weight {QuantizedValues.ShapeText(weightShape)} neither as one scale, one per row, nor one per " +
                  (block is { } b ? $"block of {b.Rows}x{b.Cols} (as configured)" : "block of equal size") + ".");
}
