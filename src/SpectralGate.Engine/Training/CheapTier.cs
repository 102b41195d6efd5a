using SpectralGate.Engine.Matrices;
using SpectralGate.Engine.Metrics;
using SpectralGate.Engine.Signatures;
using SpectralGate.Engine.Sources;
using SpectralGate.Engine.Trajectories;
using TorchSharp;

namespace SpectralGate.Engine.Training;

/// <summary>
/// The cheap tier: per layer (the same matrix views as the signature), ‖W‖_F, σ_max by warm-started power iteration,
/// stable rank ‖W‖_F²/σ_max², and ‖ΔW‖_F and σ_max(ΔW) of the update since the previous record. It keeps the previous
/// record's snapshot (one copy of the selected weights in their dtype) and each layer's right singular vectors of W and
/// ΔW (one vector per matrix) between records. Not thread-safe: one record at a time, in step order.
/// </summary>
public sealed class CheapTier(MatrixViewOptions views, double tolerance, int maxIterations) : IDisposable
{
    private readonly Dictionary<string, torch.Tensor> _weightVectors = new(StringComparer.Ordinal);
    private readonly Dictionary<string, torch.Tensor> _updateVectors = new(StringComparer.Ordinal);
    private WeightSnapshot? _previous;

    /// <summary>Bytes held between records: the previous record's weights and the singular vectors.</summary>
    public long RetainedBytes => (_previous?.Bytes ?? 0) + _weightVectors.Values.Concat(_updateVectors.Values).Sum(v => v.NumberOfElements * v.ElementSize);

    /// <summary>Power iterations run by the last <see cref="Compute"/>, over all layers (for the warm-start figures).</summary>
    public int LastIterations { get; private set; }

    /// <summary>The layers of one record. Takes ownership of <paramref name="snapshot"/> (kept as the next record's previous weights).</summary>
    public IReadOnlyList<LayerSignature> Compute(WeightSnapshot snapshot, IReadOnlyDictionary<string, LayerKind> kinds)
    {
        var layers = new List<LayerSignature>();
        int iterations = 0;
        foreach (TensorEntry entry in snapshot.Tensors)
        {
            using var scope = torch.NewDisposeScope();
            LayerKind kind = kinds[entry.Name];
            var weight = snapshot.Values(entry.Name).to(torch.ScalarType.Float64);
            if (!Sources.TensorReader.IsFinite(weight))
            {
                layers.Add(SignatureAssembler.NonFinite(entry, kind));
                continue;
            }
            var previous = _previous?.Tensors.Any(e => e.Name == entry.Name) == true ? _previous.Values(entry.Name).to(torch.ScalarType.Float64) : null;
            var update = previous is not null ? weight - previous : null;
            var updateViews = update is null ? null : MatrixViews.Create(entry.Name, update, views, kind);
            var weightViews = MatrixViews.Create(entry.Name, weight, views, kind);
            for (int i = 0; i < weightViews.Count; i++)
            {
                MatrixView view = weightViews[i];
                double scale = view.EigenvalueScale;
                var (sigma, sweeps) = SpectralNorm(view.Batch, _weightVectors, view.Name);
                iterations += sweeps;
                double frobenius = Math.Sqrt(scale * view.Batch.square().sum().item<double>());
                double spectral = Math.Sqrt(scale) * sigma;
                var metrics = new SortedDictionary<string, double?>(StringComparer.Ordinal)
                {
                    [MetricNames.FrobeniusNorm] = frobenius,
                    [MetricNames.SpectralNorm] = spectral,
                    [MetricNames.StableRank] = spectral > 0 ? frobenius * frobenius / (spectral * spectral) : null,
                    [MetricNames.UpdateFrobeniusNorm] = null,
                    [MetricNames.UpdateSpectralNorm] = null,
                };
                if (updateViews is not null && Sources.TensorReader.IsFinite(update!))
                {
                    var updateBatch = updateViews[i].Batch;
                    var (updateSigma, updateSweeps) = SpectralNorm(updateBatch, _updateVectors, view.Name);
                    iterations += updateSweeps;
                    metrics[MetricNames.UpdateFrobeniusNorm] = Math.Sqrt(scale * updateBatch.square().sum().item<double>());
                    metrics[MetricNames.UpdateSpectralNorm] = Math.Sqrt(scale) * updateSigma;
                }
                layers.Add(SignatureAssembler.Layer(entry, view, new SpectrumMetricsResult(metrics, [])));
            }
        }
        LastIterations = iterations;
        _previous?.Dispose();
        _previous = snapshot;
        layers.Sort((a, b) => Names.NaturalNameComparer.Instance.Compare(a.Name, b.Name));
        return layers;
    }

    private (double Sigma, int Iterations) SpectralNorm(torch.Tensor batch, Dictionary<string, torch.Tensor> vectors, string layer)
    {
        var result = PowerIteration.Run(batch, vectors.GetValueOrDefault(layer), tolerance, maxIterations);
        result.RightVectors.DetachFromDisposeScope();
        if (vectors.Remove(layer, out var old)) old.Dispose();
        vectors[layer] = result.RightVectors;
        return (result.SpectralNorm, result.Iterations);
    }

    public void Dispose()
    {
        _previous?.Dispose();
        foreach (var v in _weightVectors.Values.Concat(_updateVectors.Values)) v.Dispose();
    }
}
