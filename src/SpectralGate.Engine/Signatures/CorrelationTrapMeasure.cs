using SpectralGate.Engine.Matrices;
using SpectralGate.Engine.Metrics;
using SpectralGate.Engine.Spectra;
using TorchSharp;

namespace SpectralGate.Engine.Signatures;

/// <summary>
/// The correlation-trap metrics of one matrix view (<see cref="SignatureOptions.CorrelationTraps"/>): the exact ESD of
/// its element-shuffled copy (<see cref="ElementPermutation"/>), its spikes per matrix, and its distance to the layer's ESD.
/// </summary>
internal static class CorrelationTrapMeasure
{
    /// <summary>Adds <c>rand_distance</c> and <c>num_rand_spikes</c> to <paramref name="values"/>; true when the layer is trapped.</summary>
    /// <param name="view">The layer's matrices.</param>
    /// <param name="eigenvalues">The layer's pooled eigenvalues, descending.</param>
    /// <param name="sketched">True when <paramref name="eigenvalues"/> are Ritz values: rand_distance needs the whole ESD, so it is null.</param>
    /// <param name="values">The layer's metrics.</param>
    public static bool Add(MatrixView view, double[] eigenvalues, bool sketched, IDictionary<string, double?> values)
    {
        using var scope = torch.NewDisposeScope();
        torch.Tensor permuted = ElementPermutation.Permute(view.Batch, view.Name);
        var pooled = new List<double>(eigenvalues.Length);
        int spikes = 0;
        for (int k = 0; k < view.Count; k++)
        {
            double[] randomized = GramSpectrum.Eigenvalues(permuted[k].unsqueeze(0));
            spikes += CorrelationTraps.RandSpikes(randomized, view.Rows, view.Cols);
            pooled.AddRange(randomized);
        }
        pooled.Sort((a, b) => b.CompareTo(a));
        values[CorrelationTraps.RandDistance] = sketched ? null : CorrelationTraps.RandDistanceOf(eigenvalues, pooled.ToArray());
        values[CorrelationTraps.NumRandSpikes] = spikes;
        return spikes >= CorrelationTraps.TrapSpikes;
    }
}
