namespace SpectralGate.Engine.Matrices;

/// <summary>Options of <see cref="MatrixViews"/>.</summary>
public sealed record MatrixViewOptions
{
    public ConvMatrixMode ConvMode { get; init; } = ConvMatrixMode.PerKernelPosition;

    public ConvNormalisation ConvNormalisation { get; init; } = ConvNormalisation.None;

    /// <summary>
    /// Also report the parts of fused attention projections (<c>in_proj_weight</c>, <c>qkv</c>, <c>c_attn</c> of shape
    /// <c>[3d, d]</c> or <c>[d, 3d]</c>) as layers <c>name[q]</c>, <c>name[k]</c>, <c>name[v]</c>. The whole is always reported.
    /// </summary>
    public bool SplitFusedProjections { get; init; }
}
