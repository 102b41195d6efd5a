using System.Globalization;

namespace SpectralGate.Engine.Spectra;

/// <summary>
/// SpectralGate's pinned FARMS window settings (<see cref="FarmsWindows"/>): 128-row square windows (Q ratio 1) on an 8 × 8
/// grid, at most 64 windows and 8,192 pooled eigenvalues per matrix. The paper's scripts use 2000×2000 with 15 per dimension
/// for LLaMA and 100×100 with 9 for ResNets; the reference function defaults (100 rows, Q ratio 2, 10) are not used.
/// </summary>
public sealed class FarmsOptions
{
    /// <summary>Window rows r (FARMS <c>num_row_samples</c>); shrunk when the matrix is smaller (see <see cref="FarmsWindows.WindowShape"/>).</summary>
    public int WindowSize { get; init; } = 128;

    /// <summary>Window columns / rows (FARMS <c>Q_ratio</c>): columns = int(r·ratio).</summary>
    public double AspectRatio { get; init; } = 1.0;

    /// <summary>Window positions per dimension (FARMS <c>sampling_ops_per_dim</c>).</summary>
    public int WindowsPerDimension { get; init; } = 8;

    /// <summary>The settings as recorded in a signature; the ratio appears only when it is not the default 1.</summary>
    public string Describe() => AspectRatio == 1.0
        ? string.Create(CultureInfo.InvariantCulture, $"window={WindowSize},per_dim={WindowsPerDimension}")
        : string.Create(CultureInfo.InvariantCulture, $"window={WindowSize},ratio={AspectRatio:R},per_dim={WindowsPerDimension}");
}
