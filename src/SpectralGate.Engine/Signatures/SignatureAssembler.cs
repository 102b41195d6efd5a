using SpectralGate.Engine.Errors;
using SpectralGate.Engine.Matrices;
using SpectralGate.Engine.Metrics;
using SpectralGate.Engine.Names;
using SpectralGate.Engine.Sources;

namespace SpectralGate.Engine.Signatures;

/// <summary>
/// The assemble stage: collects the layers and skipped tensors of one source as they come and builds the signature,
/// in natural name order, refusing a signature of nothing (<see cref="NothingAnalysedException"/>).
/// </summary>
public sealed class SignatureAssembler
{
    private readonly List<LayerSignature> _layers = [];
    private readonly List<SkippedTensor> _skipped = [];
    private readonly List<string> _reasons = [];
    private readonly Dictionary<string, (long Elements, string? Quantization)> _weights = new(StringComparer.Ordinal);
    private readonly SortedDictionary<string, int> _notDecoded = new(StringComparer.Ordinal);
    private long _parameters;
    private int _tensors, _weightMatrices;
    private long _weightParameters;

    /// <summary>Counts a tensor of the source, analysed or not: every one adds to the parameter count.</summary>
    public void Saw(TensorEntry entry)
    {
        _parameters += entry.ElementCount;
        _tensors++;
        // A weight matrix for the coverage: rank 2 or more and no quantization parameter; analysed unless skipped below.
        if (entry.Shape.Length >= 2 && entry.QuantizationParameterOf is null) _weights[entry.Name] = (entry.ElementCount, entry.Quantization);
    }

    /// <summary>Records why a tensor yields no layer; only tensors skipped for what they are (<see cref="TensorSkip.IsListed"/>) are written.</summary>
    public void Skip(TensorEntry entry, TensorSkip skip)
    {
        if (skip.IsListed) _skipped.Add(new SkippedTensor(entry.Name, entry.Shape, skip.Text) { Kind = skip.Kind });
        _reasons.Add(skip.Text);
        if (!_weights.Remove(entry.Name, out var weight)) return;
        // Left out by the selection or another shard, or too small or empty by design: not this run's to cover.
        if (!skip.IsListed || skip.Kind is SkipKind.TooSmall or SkipKind.Empty) return;
        _weightMatrices++;
        _weightParameters += weight.Elements;
        if (weight.Quantization is { } layout && skip.Kind == SkipKind.Undecodable) _notDecoded[layout] = _notDecoded.GetValueOrDefault(layout) + 1;
    }

    /// <summary>The coverage of what was seen: every weight matrix not skipped yielded layers.</summary>
    private SignatureCoverage Coverage()
    {
        var decoded = new SortedDictionary<string, int>(StringComparer.Ordinal);
        foreach (var (_, (_, layout)) in _weights)
            if (layout is not null) decoded[layout] = decoded.GetValueOrDefault(layout) + 1;
        long analysedParameters = _weights.Values.Sum(w => w.Elements);
        return new SignatureCoverage
        {
            WeightMatrices = _weightMatrices + _weights.Count,
            Analysed = _weights.Count,
            WeightParameters = _weightParameters + analysedParameters,
            AnalysedParameters = analysedParameters,
            Decoded = decoded,
            NotDecoded = new SortedDictionary<string, int>(_notDecoded, StringComparer.Ordinal),
        };
    }

    public void Add(LayerSignature layer) => _layers.Add(layer);

    /// <summary>The layer of one matrix view: the tensor's shape, or a part's own shape for the parts of a split projection.</summary>
    /// <param name="entry">The tensor the view was made from.</param>
    /// <param name="view">The layer's matrices.</param>
    /// <param name="metrics">Its metrics and labels.</param>
    /// <param name="esdQuantiles">The layer's ESD summary (<see cref="EsdQuantiles"/>), or null where there is none (a sketch).</param>
    /// <param name="fingerprint">The content hash of its values (<see cref="LayerFingerprint"/>).</param>
    public static LayerSignature Layer(TensorEntry entry, MatrixView view, SpectrumMetricsResult metrics, double[]? esdQuantiles = null, string? fingerprint = null) => new()
    {
        Name = view.Name,
        Shape = view.Name == entry.Name ? entry.Shape : view.Batch.shape[1..],
        Kind = view.Kind,
        Metrics = metrics.Values,
        Labels = metrics.Labels,
        EsdQuantiles = esdQuantiles,
        Fingerprint = fingerprint,
    };

    /// <summary>A tensor holding NaN or Inf: reported as a layer, labelled, with no metrics.</summary>
    public static LayerSignature NonFinite(TensorEntry entry, LayerKind kind, string? fingerprint = null) => new()
    {
        Name = entry.Name, Shape = entry.Shape, Kind = kind,
        Metrics = new SortedDictionary<string, double?>(StringComparer.Ordinal),
        Labels = [HealthLabels.NonFinite],
        Fingerprint = fingerprint,
    };

    /// <param name="source">The source the layers came from.</param>
    /// <param name="settings">The settings that produced them (<see cref="SpectralEngine.Settings"/>).</param>
    /// <param name="partial">True for one shard's part or a live module, which may hold no layer.</param>
    /// <param name="knownSha256">The source's hash when the caller has it; else it is computed, once the signature is known to hold something.</param>
    public SpectralSignature Build(ITensorSource source, IReadOnlyDictionary<string, string> settings, bool partial, string? knownSha256)
    {
        // A shard may own nothing analysable; the merged signature is checked instead (SignatureMerge). A live module is
        // read, not decoded, and its activation probes may be the layers (WithProbes): only files must yield a layer.
        if (_layers.Count == 0 && !partial && source.Format != "module") throw NothingAnalysedException.For(source.Description, _tensors, _reasons);
        _layers.Sort((a, b) => NaturalNameComparer.Instance.Compare(a.Name, b.Name));
        _skipped.Sort((a, b) => NaturalNameComparer.Instance.Compare(a.Name, b.Name));
        return new SpectralSignature
        {
            Model = new ModelInfo(source.Description, source.Format, knownSha256 ?? source.ComputeSha256(), _parameters),
            Settings = settings,
            Layers = _layers,
            Skipped = _skipped,
            Coverage = Coverage(),
        };
    }
}
