using SpectralGate.Engine.Names;
using SpectralGate.Engine.Errors;
using SpectralGate.Engine.Runtime;
using SpectralGate.Engine.Signatures;
using SpectralGate.Engine.Sources;
using SpectralGate.Engine.Spectra;
using TorchSharp;

namespace SpectralGate.Engine.Deltas;

/// <summary>
/// Delta signatures: streams a tuned checkpoint's tensors one at a time, reads the base tensor of the same name, and
/// measures ΔW = W_tuned − W_base per layer (<see cref="DeltaMetricNames"/>). Peak memory is about two tensors.
/// </summary>
public static class DeltaEngine
{
    public static DeltaSignature Compute(ITensorSource baseSource, ITensorSource tuned, DeltaOptions? options = null,
        IProgress<SignatureProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        options ??= new DeltaOptions();
        var run = new DeltaRun(baseSource, options, progress);
        foreach (TensorEntry entry in tuned.Tensors)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (run.Match(entry) is { } baseEntry)
            {
                run.Add(new DeltaWork(entry.Name, entry.Shape, entry.ElementCount,
                    (device, type) => (TensorReader.Read(baseSource, baseEntry, device, type), TensorReader.Read(tuned, entry, device, type), null),
                    StorageRoundoff.Of(baseEntry.DType, entry.DType)));
            }
            else run.Reported(entry.Name);
        }
        run.MeasureAll(tuned.Description, cancellationToken);
        return run.Finish(new ModelInfo(tuned.Description, tuned.Format, tuned.ComputeSha256(), run.TunedParameters));
    }

    /// <summary>
    /// The delta of a LoRA adapter against its base: per targeted base weight ΔW = s·B·A and W_tuned = W_base + ΔW, the
    /// same numbers as against the merged model. Base weights the adapter does not touch are unchanged.
    /// </summary>
    public static DeltaSignature Compute(ITensorSource baseSource, LoraAdapter adapter, DeltaOptions? options = null,
        IProgress<SignatureProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        options ??= new DeltaOptions();
        adapter.AlignRowsWith(baseSource);
        var run = new DeltaRun(baseSource, options, progress);
        var modules = adapter.Modules.ToDictionary(m => m.Target, StringComparer.Ordinal);
        foreach (TensorEntry entry in baseSource.Tensors)
        {
            cancellationToken.ThrowIfCancellationRequested();
            LoraModule? module = modules.GetValueOrDefault(entry.Name);
            if (run.MatchBase(entry, module is null ? null : adapter.TargetShape(module)))
                run.Add(new DeltaWork(entry.Name, entry.Shape, entry.ElementCount,
                    (device, type) => (TensorReader.Read(baseSource, entry, device, type), null, adapter.Update(module!, device, type))));
            else run.Reported(entry.Name);
        }
        run.MeasureAll(adapter.Folder, cancellationToken);
        foreach (var module in adapter.Modules) run.AddIfOnlyInTuned(module.Target);
        run.AddSkipped(adapter.Skipped);
        return run.Finish(adapter.Info());
    }

    /// <summary>The settings written to a delta signature: every option that changes a number.</summary>
    public static IReadOnlyDictionary<string, string> Settings(DeltaOptions options) => ComputationOptions.Settings(options);
}

/// <summary>The bookkeeping of one delta computation: matching by name, one-sided and skipped tensors, and the result.</summary>
internal sealed class DeltaRun
{
    private readonly ITensorSource _base;
    private readonly DeltaOptions _options;
    private readonly ComputeTarget _target;
    private readonly Dictionary<string, TensorEntry> _baseEntries;
    private readonly HashSet<string> _matched = new(StringComparer.Ordinal);
    private readonly List<LayerDelta> _layers = [];
    private readonly List<SkippedTensor> _skipped = [];
    private readonly List<string> _onlyInTuned = [];
    private readonly List<DeltaWork> _work = [];
    private readonly IProgress<SignatureProgress>? _progress;
    private readonly GlobUse _includes;
    private long _parameters;
    private int _done;

    public DeltaRun(ITensorSource baseSource, DeltaOptions options, IProgress<SignatureProgress>? progress)
    {
        options.Sketch?.Validate();
        _base = baseSource;
        _options = options;
        _progress = progress;
        _target = options.Target(baseSource.Description);
        _baseEntries = new Dictionary<string, TensorEntry>(StringComparer.Ordinal);
        _includes = new GlobUse(options.Selection.Include);
        foreach (TensorEntry e in baseSource.Tensors)
        {
            _baseEntries[e.Name] = e;
            _includes.See(e.Name);
        }
    }

    /// <summary>The base entry to compare a tuned tensor with, or null when it is skipped or one-sided (both recorded).</summary>
    public TensorEntry? Match(TensorEntry tuned)
    {
        _parameters += tuned.ElementCount;
        _includes.See(tuned.Name);
        TensorSkip? skip = _options.Selection.Skip(tuned);
        // Left out by the user's globs: neither compared nor listed (decided on the kind, never on the words).
        if (skip is { IsListed: false }) { _matched.Add(tuned.Name); return null; }
        if (!_baseEntries.TryGetValue(tuned.Name, out TensorEntry? baseEntry))
        {
            if (skip is null) _onlyInTuned.Add(tuned.Name);
            else _skipped.Add(new SkippedTensor(tuned.Name, tuned.Shape, skip.Text));
            return null;
        }
        _matched.Add(tuned.Name);
        string? reason = skip?.Text ?? (_options.Selection.Skip(baseEntry) is { } b ? $"base: {b.Text}" : null);
        if (reason is not null) { _skipped.Add(new SkippedTensor(tuned.Name, tuned.Shape, reason)); return null; }
        if (!tuned.Shape.SequenceEqual(baseEntry.Shape))
        {
            _layers.Add(LayerDeltaMeasure.Without(tuned.Name, tuned.Shape, baseEntry.Shape, DeltaStatus.ShapeChanged));
            return null;
        }
        return baseEntry;
    }

    public long TunedParameters => _parameters;

    /// <summary>For a tuned model made from the base (an adapter): true when the base tensor is to be measured against <paramref name="tunedShape"/>; null shape means untouched.</summary>
    public bool MatchBase(TensorEntry baseEntry, long[]? tunedShape)
    {
        _parameters += baseEntry.ElementCount;
        _matched.Add(baseEntry.Name);
        TensorSkip? skip = _options.Selection.Skip(baseEntry);
        if (skip is { IsListed: false }) return false;
        if (skip is not null) { _skipped.Add(new SkippedTensor(baseEntry.Name, baseEntry.Shape, skip.Text)); return false; }
        if (tunedShape is null) { _layers.Add(LayerDeltaMeasure.Unchanged(baseEntry.Name, baseEntry.Shape)); return false; }
        if (!tunedShape.SequenceEqual(baseEntry.Shape))
        {
            _layers.Add(LayerDeltaMeasure.Without(baseEntry.Name, tunedShape, baseEntry.Shape, DeltaStatus.ShapeChanged));
            return false;
        }
        return true;
    }

    public void AddIfOnlyInTuned(string name)
    {
        if (!_baseEntries.ContainsKey(name)) _onlyInTuned.Add(name);
    }

    public void AddSkipped(IEnumerable<SkippedTensor> skipped) => _skipped.AddRange(skipped);

    /// <summary>Queues a matched layer for <see cref="MeasureAll"/>; reported as done when measured.</summary>
    public void Add(DeltaWork work) => _work.Add(work);

    /// <summary>Reports a tensor that needs no measurement (skipped, one-sided, resized, untouched) as done.</summary>
    public void Reported(string name) => _progress?.Report(new SignatureProgress(++_done, name));

    /// <summary>
    /// Measures the queued layers as the signature engine computes spectra: side by side on one-thread workers
    /// (<see cref="OneThreadWorkers"/>, at most <see cref="OneThreadWorkers.SharedBudgetBytes"/> of pairs at once unless
    /// one pair alone is larger), each layer wholly on one libtorch thread, so the bytes do not depend on the thread count.
    /// </summary>
    public void MeasureAll(string tunedDescription, CancellationToken cancellationToken)
    {
        // As for a signature: a glob that selects nothing, or a comparison of nothing, is an error, never an empty pass.
        IncludeGlobUse.ThrowIfAnyUnmatched(_includes, tunedDescription);
        if (_work.Count == 0 && _layers.Count == 0)
            throw new NothingAnalysedException(tunedDescription,
                $"nothing compared: no tensor is selected in both this model and {_base.Description} ({_onlyInTuned.Count} only in this one, {_skipped.Count} skipped). Check --include/--exclude and that both are the same architecture.");
        var measured = OneThreadWorkers.Run(_work, w => w.Bytes(_target.ScalarType), w => Measure(w, tunedDescription),
            w => Reported(w.Name), cancellationToken, parallel: _target.RunsLayersInParallel);
        _layers.AddRange(measured);
        _work.Clear();
    }

    /// <summary>Reads one layer's pair (one read at a time: sources map or unzip lazily) and measures it; everything read is freed after.</summary>
    private LayerDelta Measure(DeltaWork work, string tunedDescription)
    {
        // MKL's eigh, QR and GEMM change their last bits with the thread count (SingleThreadedSpectrum): one thread for all of it.
        using var serial = SingleThreadedTorch.Enter();
        using var scope = torch.NewDisposeScope();
        torch.Tensor wBase;
        torch.Tensor? wTuned;
        LowRankUpdate? update;
        lock (TensorReader.OneReadAtATime) (wBase, wTuned, update) = work.Read(_target.Device, _target.ScalarType);
        wTuned ??= update!.AddedTo(LayerDeltaMeasure.AsMatrix(wBase)).reshape(work.Shape);
        if (!TensorReader.IsFinite(wBase) || !TensorReader.IsFinite(wTuned))
            return LayerDeltaMeasure.Without(work.Name, work.Shape, null, DeltaStatus.NonFinite);
        return MatrixSpectra.Guarded(tunedDescription, work.Name, () => LayerDeltaMeasure.Measure(work.Name, work.Shape,
            LayerDeltaMeasure.AsMatrix(wBase), LayerDeltaMeasure.AsMatrix(wTuned), update, _options, work.StorageRoundoff));
    }

    public DeltaSignature Finish(ModelInfo tuned)
    {
        var onlyInBase = _baseEntries.Values.Where(e => !_matched.Contains(e.Name) && _options.Selection.Skip(e) is null).Select(e => e.Name).ToList();
        _layers.Sort((a, b) => NaturalNameComparer.Instance.Compare(a.Name, b.Name));
        _skipped.Sort((a, b) => NaturalNameComparer.Instance.Compare(a.Name, b.Name));
        onlyInBase.Sort(NaturalNameComparer.Instance);
        _onlyInTuned.Sort(NaturalNameComparer.Instance);
        long baseParameters = _baseEntries.Values.Sum(e => e.ElementCount);
        return new DeltaSignature
        {
            Base = new ModelInfo(_base.Description, _base.Format, _base.ComputeSha256(), baseParameters),
            Tuned = tuned,
            Settings = DeltaEngine.Settings(_options),
            Layers = _layers,
            OnlyInBase = onlyInBase,
            OnlyInTuned = _onlyInTuned,
            Skipped = _skipped,
        };
    }
}
