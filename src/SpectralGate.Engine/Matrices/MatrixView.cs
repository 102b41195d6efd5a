using TorchSharp;

namespace SpectralGate.Engine.Matrices;

/// <summary>
/// Matrices to take the spectrum of, as one batch <c>[count, rows, cols]</c> whose eigenvalues are pooled into one
/// ESD. <see cref="Rows"/> >= <see cref="Cols"/> after orientation (N >= M, Q = N/M).
/// </summary>
public sealed class MatrixView(string name, LayerKind kind, torch.Tensor batch) : IDisposable
{
    /// <summary>The layer name: the tensor's name, with <c>[q]</c>/<c>[k]</c>/<c>[v]</c> for parts of a split fused projection.</summary>
    public string Name { get; } = name;

    public LayerKind Kind { get; } = kind;

    /// <summary>The matrices, <c>[count, r, c]</c> as stored (not transposed).</summary>
    public torch.Tensor Batch { get; } = batch;

    public int Count => (int)Batch.shape[0];

    /// <summary>N: the larger side.</summary>
    public int Rows => (int)Math.Max(Batch.shape[1], Batch.shape[2]);

    /// <summary>M: the smaller side, which is also the number of eigenvalues per matrix.</summary>
    public int Cols => (int)Math.Min(Batch.shape[1], Batch.shape[2]);

    public void Dispose() => Batch.Dispose();
}

/// <summary>Options of <see cref="MatrixViews"/>.</summary>
public sealed class MatrixViewOptions
{
    public ConvMatrixMode ConvMode { get; init; } = ConvMatrixMode.PerKernelPosition;

    public ConvNormalisation ConvNormalisation { get; init; } = ConvNormalisation.None;

    /// <summary>
    /// Also report the parts of fused attention projections (<c>in_proj_weight</c>, <c>qkv</c>, <c>c_attn</c> of shape
    /// <c>[3d, d]</c> or <c>[d, 3d]</c>) as layers <c>name[q]</c>, <c>name[k]</c>, <c>name[v]</c>. The whole is always reported.
    /// </summary>
    public bool SplitFusedProjections { get; init; }
}

/// <summary>Turns a weight tensor into the matrices whose spectra describe it.</summary>
public static class MatrixViews
{
    private static readonly string[] FusedMarkers = ["in_proj_weight", "qkv", "c_attn"];

    public static IReadOnlyList<MatrixView> Create(string name, torch.Tensor weight, MatrixViewOptions options)
    {
        LayerKind kind = LayerKinds.Classify(name, weight.shape);
        var views = new List<MatrixView>();
        if (weight.dim() == 2)
        {
            views.Add(new MatrixView(name, kind, weight.unsqueeze(0)));
            if (options.SplitFusedProjections && IsFused(name, weight.shape, out int axis))
            {
                torch.Tensor[] parts = weight.chunk(3, axis);
                string[] labels = ["q", "k", "v"];
                for (int i = 0; i < 3; i++)
                    views.Add(new MatrixView($"{name}[{labels[i]}]", LayerKind.AttentionProjection, parts[i].contiguous().unsqueeze(0)));
            }
        }
        else if (kind == LayerKind.Expert)
        {
            // [experts, rows, cols]: one layer per expert, named name[e].
            for (long e = 0; e < weight.shape[0]; e++)
                views.Add(new MatrixView($"{name}[{e}]", LayerKind.Expert, weight[e].unsqueeze(0)));
        }
        else
        {
            // [out, in, k1, k2, ...]
            long outChannels = weight.shape[0];
            long inChannels = weight.shape[1];
            if (options.ConvMode == ConvMatrixMode.Flatten)
            {
                views.Add(new MatrixView(name, kind, weight.reshape(1, outChannels, -1)));
            }
            else
            {
                // Move the kernel positions to the front: [k1*k2*..., out, in].
                long positions = weight.numel() / (outChannels * inChannels);
                torch.Tensor batch = weight.reshape(outChannels, inChannels, positions).permute(2, 0, 1).contiguous();
                views.Add(new MatrixView(name, kind, batch));
            }
        }
        return views;
    }

    /// <summary>Why the tensor is not cut into matrices (see <see cref="LayerKinds.UnknownLayoutReason"/>), or null.</summary>
    public static string? SkipReason(string name, long[] shape) => LayerKinds.UnknownLayoutReason(name, shape);

    /// <summary>The axis of the matrices' rows: 1 for fused experts <c>[experts, rows, cols]</c>, else 0.</summary>
    public static int RowAxis(string name, long[] shape) => LayerKinds.IsExperts(name, shape) ? 1 : 0;

    private static bool IsFused(string name, long[] shape, out int axis)
    {
        axis = 0;
        if (!FusedMarkers.Any(name.Contains)) return false;
        if (shape[0] == 3 * shape[1]) { axis = 0; return true; }
        if (shape[1] == 3 * shape[0]) { axis = 1; return true; }
        return false;
    }
}
