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
    /// <summary>The layer's metrics with <c>rand_distance</c> and <c>num_rand_spikes</c> added, and the trap label when it is trapped.</summary>
    /// <param name="view">The layer's matrices.</param>
    /// <param name="spectrum">The layer's pooled spectrum; a sketch's Ritz values are not the whole ESD that rand_distance needs, so it is null then.</param>
    /// <param name="metrics">The layer's metrics.</param>
    /// <param name="model">The file, named in errors.</param>
    public static SpectrumMetricsResult Added(MatrixView view, LayerSpectrum spectrum, SpectrumMetricsResult metrics, string model)
    {
        var values = new SortedDictionary<string, double?>(metrics.Values, StringComparer.Ordinal);
        bool trapped = MatrixSpectra.Guarded(model, view.Name, () => Add(view, spectrum.Eigenvalues, spectrum.Kind == SpectrumKind.Sketched, values));
        return new SpectrumMetricsResult(values, trapped ? [.. metrics.Labels.Append(HealthLabels.CorrelationTrap).Order(StringComparer.Ordinal)] : metrics.Labels);
    }

    private static bool Add(MatrixView view, double[] eigenvalues, bool sketched, IDictionary<string, double?> values)
    {
        using var scope = torch.NewDisposeScope();
        torch.Tensor permuted = ElementPermutation.Permute(view.Batch, view.Name);
        var pooled = new List<double>(eigenvalues.Length);
        int spikes = 0;
        for (int k = 0; k < view.Count; k++)
        {
            double[] randomized = GramSpectrum.Eigenvalues(permuted[k].unsqueeze(0));
            spikes += CorrelationTraps.RandSpikes(randomized, view.LargerSide, view.SmallerSide);
            pooled.AddRange(randomized);
        }
        pooled.Sort((a, b) => b.CompareTo(a));
        values[CorrelationTraps.RandDistance] = sketched ? null : CorrelationTraps.RandDistanceOf(eigenvalues, pooled.ToArray());
        values[CorrelationTraps.NumRandSpikes] = spikes;
        return spikes >= CorrelationTraps.TrapSpikes;
    }
}
