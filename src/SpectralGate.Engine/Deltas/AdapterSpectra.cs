using SpectralGate.Engine.Errors;
using SpectralGate.Engine.Names;
using SpectralGate.Engine.Runtime;
using SpectralGate.Engine.Matrices;
using SpectralGate.Engine.Metrics;
using SpectralGate.Engine.Signatures;
using SpectralGate.Engine.Sources;
using SpectralGate.Engine.Spectra;
using TorchSharp;

namespace SpectralGate.Engine.Deltas;

/// <summary>
/// The spectral signature of a LoRA adapter: one layer per module, the metrics of ΔW = s·B·A from its factors
/// (<see cref="LowRankSpectrum"/>), never the dense product. Layers are named after the base weight they update.
/// </summary>
public static class AdapterSpectra
{
    public const string LoraRank = "lora_rank";
    public const string LoraScale = "lora_scale";

    public static SpectralSignature Compute(LoraAdapter adapter, SignatureOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new SignatureOptions();
        // The factors' SVD gives σ as accurately as an SVD of ΔW, so numpy's floor applies, not the Gram one.
        var metricOptions = options.Metrics with { RankConvention = NumericalRankConvention.SingularValues };
        ComputeTarget target = options.Target(adapter.Folder);
        var layers = new List<LayerSignature>();
        var includes = new GlobUse(options.Selection.Include);
        var notSelected = new List<string>();
        foreach (var module in adapter.Modules)
        {
            cancellationToken.ThrowIfCancellationRequested();
            includes.See(module.Target);
            if (options.Selection.Deselected(module.Target) is { } deselected) { notSelected.Add(deselected.Text); continue; }
            long[] shape = adapter.TargetShape(module);
            using var scope = torch.NewDisposeScope();
            var update = adapter.Update(module, target.Device, target.ScalarType);
            double[] eigenvalues = update.Eigenvalues();
            options.SpectrumObserver?.Invoke(module.Target, eigenvalues);
            var metrics = SpectrumMetrics.Compute(eigenvalues, (int)shape[0], (int)shape[1], metricOptions, target.IsFloat32);
            var values = new SortedDictionary<string, double?>(metrics.Values, StringComparer.Ordinal)
            {
                [LoraRank] = module.Rank,
                [LoraScale] = module.Scale,
            };
            // Health labels judge trained weights; an update is low rank by design, so rank_collapse would fire on every module.
            layers.Add(new LayerSignature { Name = module.Target, Shape = shape, Kind = LayerKinds.Classify(module.Target, shape), Metrics = values, Labels = [],
                Fingerprint = update.Fingerprint() });
        }
        // As for a checkpoint: a glob that selects nothing, or a selection that leaves nothing, is an error, never an empty pass.
        IncludeGlobUse.ThrowIfAnyUnmatched(includes, adapter.Folder);
        if (layers.Count == 0)
            throw NothingAnalysedException.For(adapter.Folder, adapter.Modules.Count + adapter.Skipped.Count, notSelected.Concat(adapter.Skipped.Select(t => t.Reason)));
        // An adapter's layers take none of the signature's other steps (FARMS, sketches, correlation traps, kind maps, shards).
        var settings = SpectralEngine.Settings(options with
        {
            Metrics = metricOptions, Farms = false, Sketch = null, CorrelationTraps = false, Kinds = LayerKindMap.Empty, Shard = null,
        }).ToDictionary(StringComparer.Ordinal);
        settings["adapter"] = "lora_low_rank";
        return new SpectralSignature { Model = adapter.Info(), Settings = settings, Layers = layers, Skipped = adapter.Skipped };
    }
}
