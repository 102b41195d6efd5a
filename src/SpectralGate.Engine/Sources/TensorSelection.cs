using SpectralGate.Engine.Names;

namespace SpectralGate.Engine.Sources;

/// <summary>Which tensors of a model are analysed: name globs, and the smallest matrix worth a spectrum.</summary>
public sealed class TensorSelection
{
    /// <summary>
    /// Default smallest side of an analysed matrix. Below 8 eigenvalues no spectral statistic means much
    /// (the power-law fit alone needs 10), and such tensors are usually heads, gates or scales.
    /// </summary>
    public const int DefaultMinDimension = 8;

    /// <summary>Globs a tensor name must match (any of them); empty means every tensor.</summary>
    public IList<string> Include { get; init; } = new List<string>();

    /// <summary>Globs that exclude a tensor even when it is included.</summary>
    public IList<string> Exclude { get; init; } = new List<string>();

    /// <summary>Matrices whose smaller side is below this are skipped (reported as such).</summary>
    public int MinDimension { get; init; } = DefaultMinDimension;

    private NameGlob[]? _include;
    private NameGlob[]? _exclude;

    /// <summary>
    /// Null when the tensor is analysed, else why it is skipped. <paramref name="rowAxis"/> is the axis of the matrices'
    /// rows (1 for fused experts <c>[experts, rows, cols]</c>), whose side and the next one's are checked.
    /// </summary>
    public string? SkipReason(TensorEntry entry, int rowAxis = 0) => Skip(entry, rowAxis)?.Text;

    /// <summary>As <see cref="SkipReason"/>, typed: null when the tensor is analysed.</summary>
    public TensorSkip? Skip(TensorEntry entry, int rowAxis = 0)
    {
        _include ??= Include.Select(g => new NameGlob(g)).ToArray();
        _exclude ??= Exclude.Select(g => new NameGlob(g)).ToArray();
        if (_include.Length > 0 && !_include.Any(g => g.IsMatch(entry.Name))) return new(SkipKind.NotIncluded, "not included");
        if (_exclude.Any(g => g.IsMatch(entry.Name))) return new(SkipKind.Excluded, "excluded");
        if (entry.UndecodableReason is { } undecodable) return new(SkipKind.Undecodable, undecodable);
        if (entry.DType == TensorDType.Unsupported) return new(SkipKind.NotFloatingPoint, $"dtype {entry.StoredDType} is not a floating type");
        if (entry.Shape.Length < 2) return new(SkipKind.NotAMatrix, entry.Shape.Length == 0 ? "scalar" : "1-D tensor");
        if (entry.Shape.Any(d => d == 0)) return new(SkipKind.Empty, "empty tensor");
        if (rowAxis + 1 >= entry.Shape.Length) rowAxis = 0;
        long rows = entry.Shape[rowAxis];
        long cols = entry.Shape[rowAxis + 1];
        if (Math.Min(rows, cols) < MinDimension) return new(SkipKind.TooSmall, $"smaller side {Math.Min(rows, cols)} is below the minimum {MinDimension}");
        return null;
    }
}
