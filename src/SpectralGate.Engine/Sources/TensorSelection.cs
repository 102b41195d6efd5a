using SpectralGate.Engine.Names;

namespace SpectralGate.Engine.Sources;

/// <summary>Which tensors of a model are analysed: name globs, and the smallest spectrum worth analysing.</summary>
public sealed class TensorSelection
{
    /// <summary>
    /// Default smallest side of an analysed 2-D matrix (dense, embedding, expert). Below 8 eigenvalues no spectral statistic
    /// means much (the power-law fit alone needs 10), and such tensors are usually heads, gates or scales.
    /// </summary>
    public const int DefaultMinDimension = 8;

    /// <summary>
    /// Default fewest pooled eigenvalues of a convolution: WeightWatcher's <c>DEFAULT_MIN_EVALS</c> = 10, the power-law
    /// fit's own minimum (weightwatcher.py <c>layer_supported</c>: M·rf &lt; min_evals is skipped, rf the kernel positions).
    /// </summary>
    public const int DefaultMinEigenvalues = 10;

    /// <summary>Globs a tensor name must match (any of them); empty means every tensor.</summary>
    public IList<string> Include { get; init; } = new List<string>();

    /// <summary>Globs that exclude a tensor even when it is included.</summary>
    public IList<string> Exclude { get; init; } = new List<string>();

    /// <summary>2-D matrices (and experts) whose smaller side is below this are skipped (reported as such).</summary>
    public int MinDimension { get; init; } = DefaultMinDimension;

    /// <summary>
    /// Convolutions with fewer pooled eigenvalues, M = min(out, in) times the kernel positions, are skipped (reported as
    /// such), WeightWatcher's rule: a 64×3×7×7 RGB stem has 3·49 = 147 and a 5×5 depthwise conv [C, 1, 5, 5] has 25, both
    /// analysed; a 1×1 conv with M = 8 has 8 (alpha undefined), skipped.
    /// </summary>
    public int MinEigenvalues { get; init; } = DefaultMinEigenvalues;

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
        if (entry.QuantizationParameterOf is { } weight) return new(SkipKind.QuantizationParameter, $"quantization parameter of {weight}");
        if (entry.UndecodableReason is { } undecodable) return new(SkipKind.Undecodable, undecodable);
        if (entry.DType == TensorDType.Unsupported) return new(SkipKind.NotFloatingPoint, $"dtype {entry.StoredDType} is not a floating type");
        if (entry.Shape.Length < 2) return new(SkipKind.NotAMatrix, entry.Shape.Length == 0 ? "scalar" : "1-D tensor");
        if (entry.Shape.Any(d => d == 0)) return new(SkipKind.Empty, "empty tensor");
        if (rowAxis + 1 >= entry.Shape.Length) rowAxis = 0;
        long rows = entry.Shape[rowAxis];
        long cols = entry.Shape[rowAxis + 1];
        if (rowAxis == 0 && entry.Shape.Length > 2)
        {
            long positions = 1;
            for (int axis = 2; axis < entry.Shape.Length; axis++) positions *= entry.Shape[axis];
            long eigenvalues = Math.Min(rows, cols) * positions;
            return eigenvalues < MinEigenvalues
                ? new(SkipKind.TooSmall, $"{eigenvalues} pooled eigenvalues (smaller side {Math.Min(rows, cols)} x {positions} kernel positions) is below the minimum {MinEigenvalues}")
                : null;
        }
        if (Math.Min(rows, cols) < MinDimension) return new(SkipKind.TooSmall, $"smaller side {Math.Min(rows, cols)} is below the minimum {MinDimension}");
        return null;
    }
}
