namespace SpectralGate.Engine.Matrices;

/// <summary>How a convolution kernel <c>[out, in, k...]</c> becomes matrices.</summary>
public enum ConvMatrixMode
{
    /// <summary>
    /// WeightWatcher's default: one <c>out x in</c> matrix per kernel position, their eigenvalues pooled into one ESD.
    /// </summary>
    PerKernelPosition,

    /// <summary>One <c>out x (in * k...)</c> matrix, the im2col view of the kernel.</summary>
    Flatten,
}
