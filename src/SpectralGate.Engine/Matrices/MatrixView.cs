using TorchSharp;

namespace SpectralGate.Engine.Matrices;

/// <summary>
/// Matrices to take the spectrum of, as one batch <c>[count, rows, cols]</c> whose eigenvalues are pooled into one
/// ESD. Its sides are named by size, not by storage orientation: <see cref="LargerSide"/> N >= <see cref="SmallerSide"/> M, Q = N/M.
/// </summary>
public sealed class MatrixView(string name, LayerKind kind, torch.Tensor batch) : IDisposable
{
    /// <summary>The layer name: the tensor's name, with <c>[q]</c>/<c>[k]</c>/<c>[v]</c> for parts of a split fused projection.</summary>
    public string Name { get; } = name;

    public LayerKind Kind { get; } = kind;

    /// <summary>The matrices, <c>[count, r, c]</c> as stored (not transposed).</summary>
    public torch.Tensor Batch { get; } = batch;

    public int Count => (int)Batch.shape[0];

    /// <summary>N: the larger side, rows or columns as stored.</summary>
    public int LargerSide => (int)Math.Max(Batch.shape[1], Batch.shape[2]);

    /// <summary>M: the smaller side, which is also the number of eigenvalues per matrix.</summary>
    public int SmallerSide => (int)Math.Min(Batch.shape[1], Batch.shape[2]);

    // The names of the first packages (SpectralAssert.Matrices), kept one major version so code moved to the new namespace still compiles.
    [Obsolete("Use LargerSide: the sides are named by size, not by storage orientation (CHANGELOG.md).")]
    public int Rows => LargerSide;

    [Obsolete("Use SmallerSide: the sides are named by size, not by storage orientation (CHANGELOG.md).")]
    public int Cols => SmallerSide;

    /// <summary>
    /// The factor on this view's eigenvalues: 1, or ½ for a Conv2D kernel under WeightWatcher's conv normalisation
    /// (<see cref="ConvNormalisations.EigenvalueScale"/>). Applied to λ by the spectrum stage rather than to the batch,
    /// so it is exact.
    /// </summary>
    public double EigenvalueScale { get; init; } = 1;

    public void Dispose() => Batch.Dispose();
}
