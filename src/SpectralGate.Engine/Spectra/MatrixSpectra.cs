using System.Runtime.InteropServices;
using SpectralGate.Engine.Errors;
using SpectralGate.Engine.Matrices;

namespace SpectralGate.Engine.Spectra;

/// <summary>
/// The spectrum stage: the spectra of one matrix view. First the layer's spectrum, exact, or sketched for a single
/// matrix wider than <see cref="SketchOptions.ExactUpTo"/>; then, when asked, its FARMS windows' pooled spectrum
/// (single matrices only: a conv's kernel positions are already a pool).
/// </summary>
public static class MatrixSpectra
{
    /// <param name="view">The layer's matrices.</param>
    /// <param name="sketch">Null for exact spectra only.</param>
    /// <param name="farms">Null for no FARMS spectrum.</param>
    /// <param name="model">The file, named in errors.</param>
    public static IReadOnlyList<LayerSpectrum> Compute(MatrixView view, SketchOptions? sketch, FarmsOptions? farms, string model)
    {
        bool sketched = sketch is not null && view.Count == 1 && view.SmallerSide > sketch.ExactUpTo;
        var spectra = new List<LayerSpectrum>
        {
            sketched
                ? new(SpectrumKind.Sketched, Guarded(model, view.Name, () => LanczosQuadratureSpectrum.Eigenvalues(view.Batch[0], sketch!, view.Name)))
                : new(SpectrumKind.Exact, Guarded(model, view.Name, () => GramSpectrum.Eigenvalues(view.Batch))),
        };
        if (farms is not null && view.Count == 1)
            spectra.Add(new(SpectrumKind.FarmsWindows, Guarded(model, view.Name, () => FarmsSpectrum.Eigenvalues(view.Batch[0], farms))));
        // WeightWatcher's conv2d_norm scales the matrices; their eigenvalues scale by its square (docs/metrics.md).
        if (view.EigenvalueScale != 1)
            foreach (var spectrum in spectra) for (int i = 0; i < spectrum.Eigenvalues.Length; i++) spectrum.Eigenvalues[i] *= view.EigenvalueScale;
        return spectra;
    }

    /// <summary>Runs a spectrum computation, naming the file and layer when even the fallbacks of <see cref="GramSpectrum"/> fail.</summary>
    internal static T Guarded<T>(string model, string layer, Func<T> compute)
    {
        try
        {
            return compute();
        }
        catch (Exception e) when (MemoryExhaustedException.Describes(e))
        {
            throw MemoryExhaustedException.ComputingSpectrum(model, layer, e);
        }
        catch (ExternalException e)
        {
            throw new SpectrumComputationException(model, layer, $"the eigensolver did not converge: {e.Message.Split('\n')[0]}", e);
        }
    }
}
