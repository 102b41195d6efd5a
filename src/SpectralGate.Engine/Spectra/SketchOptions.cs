using System.Globalization;

namespace SpectralGate.Engine.Spectra;

/// <summary>
/// Settings of the sketched spectrum (<see cref="LanczosQuadratureSpectrum"/>): a block Lanczos run of
/// <see cref="Steps"/> blocks of <see cref="BlockSize"/> Gaussian probes on the Gram operator. Cost is
/// 4·BlockSize·Steps·(rows·cols) flops against 2·min(rows, cols)·(rows·cols) for the exact Gram: 8x fewer for a
/// 2048-wide matrix with the defaults. Recorded in the signature, so sketched and exact signatures never compare.
/// </summary>
public sealed class SketchOptions
{
    /// <summary>Probe vectors per block; also the Hutchinson sample count of the bulk quadrature.</summary>
    public int BlockSize { get; init; } = 16;

    /// <summary>Krylov blocks; each costs one application of the Gram operator (two passes over W).</summary>
    public int Steps { get; init; } = 8;

    /// <summary>Matrices whose smaller side is at most this are computed exactly: there the Gram is as cheap as the sketch.</summary>
    public int ExactUpTo { get; init; } = 512;

    /// <summary>Seed of the probes; each layer's generator is this seed mixed with a hash of the layer's name.</summary>
    public int Seed { get; init; }

    /// <summary>The settings as recorded in a signature.</summary>
    public string Describe() => string.Create(CultureInfo.InvariantCulture,
        $"block_lanczos,block={BlockSize},steps={Steps},exact_up_to={ExactUpTo},seed={Seed}");

    internal void Validate()
    {
        if (BlockSize < 1 || Steps < 1 || ExactUpTo < 0)
            throw new ArgumentException($"sketch settings out of range: {Describe()} (block and steps must be at least 1).");
    }
}
