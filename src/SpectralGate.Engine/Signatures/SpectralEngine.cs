using SpectralGate.Engine.Names;
using SpectralGate.Engine.Errors;
using SpectralGate.Engine.Matrices;
using SpectralGate.Engine.Metrics;
using SpectralGate.Engine.Runtime;
using SpectralGate.Engine.Sources;
using SpectralGate.Engine.Spectra;
using TorchSharp;

namespace SpectralGate.Engine.Signatures;

/// <summary>
/// Computes spectral signatures: streams a source's tensors one at a time, turns each into matrices, takes their
/// spectra on the requested device and reduces them to metrics. Peak memory is about the largest tensor.
/// </summary>
public static class SpectralEngine
{
    private static readonly object ObserverGate = new();

    public static SpectralSignature Compute(ITensorSource source, SignatureOptions? options = null,
        IProgress<SignatureProgress>? progress = null, CancellationToken cancellationToken = default) =>
        Compute(source, options, progress, cancellationToken, knownSha256: null);

    /// <summary>As <see cref="Compute(ITensorSource, SignatureOptions?, IProgress{SignatureProgress}?, CancellationToken)"/>, reusing a hash the caller already has.</summary>
    internal static SpectralSignature Compute(ITensorSource source, SignatureOptions? options,
        IProgress<SignatureProgress>? progress, CancellationToken cancellationToken, string? knownSha256)
    {
        options ??= new SignatureOptions();
        options.Sketch?.Validate();
        ComputeTarget target = options.Target(source.Description);

        var planner = new TensorPlanner(source.Tensors, options.Selection, options.Shard, options.Kinds);
        var assembler = new SignatureAssembler();
        var work = new List<(TensorEntry Entry, LayerKind Kind)>();
        int done = 0;
        var includes = new GlobUse(options.Selection.Include);
        var kindGlobs = new GlobUse(options.Kinds.Patterns);
        foreach (TensorEntry entry in source.Tensors)
        {
            cancellationToken.ThrowIfCancellationRequested();
            assembler.Saw(entry);
            includes.See(entry.Name);
            kindGlobs.See(entry.Name);
            TensorPlan plan = planner.Plan(entry);
            if (plan.Skip is { } skip) assembler.Skip(entry, skip);
            else
            {
                work.Add((entry, plan.Kind)); // reported when computed, below
                continue;
            }
            progress?.Report(new SignatureProgress(++done, entry.Name));
        }
        if (!planner.IsSharded && source.Format != "module") IncludeGlobUse.ThrowIfAnyUnmatched(includes, source.Description);
        LayerKindRules.EnsureEveryGlobMatches(kindGlobs, source.Description);
        // The hash reads every byte of the files once; beside the spectra it uses a core that a worker waiting for its
        // load, or the last layer running alone, leaves free. Started only when there is something to sign.
        Task<string>? hashing = knownSha256 is null && work.Count > 0 && source.HashesFilesIndependently
            ? Task.Run(source.ComputeSha256, CancellationToken.None) : null;
        // Layers side by side on the CPU's cores, each on one libtorch thread: the same bits as one after another.
        foreach (var computed in OneThreadWorkers.Run(work, w => w.Entry.ElementCount * target.ElementBytes, w => ComputeLayers(source, w.Entry, w.Kind, target, options),
            w => progress?.Report(new SignatureProgress(++done, w.Entry.Name)), cancellationToken, parallel: target.RunsLayersInParallel && source.Format != "module"))
            foreach (LayerSignature layer in computed) assembler.Add(layer);
        return assembler.Build(source, Settings(options), planner.IsSharded, knownSha256 ?? hashing?.GetAwaiter().GetResult());
    }

    /// <summary>The settings written to the signature: every option that changes a number, and none that does not (device, threads).</summary>
    public static IReadOnlyDictionary<string, string> Settings(SignatureOptions options) => ComputationOptions.Settings(options);

    /// <summary>Read, view, spectrum and metrics stages for one tensor of a planned kind: its layers, on one dispose scope.</summary>
    private static List<LayerSignature> ComputeLayers(ITensorSource source, TensorEntry entry, LayerKind kind, ComputeTarget target, SignatureOptions options)
    {
        using var scope = torch.NewDisposeScope();
        torch.Tensor weight;
        // Sources read lazily (a memory map made on first use, a zip archive): one load at a time, beside the other worker's spectrum.
        lock (TensorReader.OneReadAtATime) weight = TensorReader.Read(source, entry, target.Device, target.ScalarType);
        if (!TensorReader.IsFinite(weight)) return [SignatureAssembler.NonFinite(entry, kind, LayerFingerprint.Of(weight))];

        var layers = new List<LayerSignature>();
        foreach (MatrixView view in MatrixViews.Create(entry.Name, weight, options.Matrices, kind))
        {
            var spectra = MatrixSpectra.Compute(view, options.Sketch, options.Farms ? options.FarmsWindows : null, source.Description);
            lock (ObserverGate) options.SpectrumObserver?.Invoke(view.Name, spectra[0].Eigenvalues); // layers may finish on two threads at once
            var metrics = LayerMetrics.Compute(spectra, view.LargerSide, view.SmallerSide, options.Metrics, options.Precision == SpectrumPrecision.Float32);
            if (options.CorrelationTraps) metrics = CorrelationTrapMeasure.Added(view, spectra[0], metrics, source.Description);
            // Ritz values of a sketch are quadrature nodes, not the ESD: only exact spectra are summarised.
            // Rounded as written, so a signature compares the same in memory and read back from its file.
            double[]? esd = spectra[0].Kind != SpectrumKind.Exact ? null
                : EsdQuantiles.Compute(spectra[0].Eigenvalues, view.LargerSide, view.SmallerSide, options.Precision == SpectrumPrecision.Float32, options.Metrics.RankConvention)
                    ?.Select(CanonicalNumber.Round).ToArray();
            layers.Add(SignatureAssembler.Layer(entry, view, metrics, esd, LayerFingerprint.Of(view.Batch)));
        }
        return layers;
    }
}
