using SpectralGate.Engine.Runtime;
using TorchSharp;

namespace SpectralGate.Engine.Spectra;

/// <summary>
/// The pooled ESD of a matrix's FARMS windows (<see cref="FarmsWindows"/>), computed as one batched Gram eigvalsh on one
/// libtorch thread (<see cref="SingleThreadedTorch"/>): the same bits at any thread count, in float64 and float32.
/// </summary>
public static class FarmsSpectrum
{
    public static double[] Eigenvalues(torch.Tensor matrix, FarmsOptions options)
    {
        using var threads = SingleThreadedTorch.Enter();
        using var scope = torch.NewDisposeScope();
        var windows = FarmsWindows.Plan((int)matrix.shape[0], (int)matrix.shape[1], options);
        var slices = windows.Select(w => matrix[torch.TensorIndex.Slice(w.RowStart, w.RowStart + w.Rows), torch.TensorIndex.Slice(w.ColStart, w.ColStart + w.Cols)]).ToArray();
        return GramSpectrum.Eigenvalues(torch.stack(slices));
    }
}
