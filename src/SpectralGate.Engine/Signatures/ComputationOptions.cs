using System.Globalization;
using SpectralGate.Engine.Matrices;
using SpectralGate.Engine.Metrics;
using SpectralGate.Engine.Sources;
using SpectralGate.Engine.Spectra;

namespace SpectralGate.Engine.Signatures;

/// <summary>
/// Every computation option, declared once. The settings a signature or delta records, the CLI options and their binding,
/// the accept hint's repeated options, the restore hints of SG1007 and the docs' option table are derived from this
/// list; the MSBuild gate's own table (it never loads the engine) is checked against it by a test. A new option is one
/// entry here plus its computation. CLI flags come first, in the order the help lists them.
/// </summary>
public static class ComputationOptions
{
    public static ComputationOption Include { get; } = new()
    {
        Name = "include", SettingsKey = "include", ApiMember = "Selection.Include",
        CliFlag = "--include", MsBuildMetadata = "IncludeTensors", Arity = OptionArity.Values,
        Help = "Analyse only tensors whose name matches this glob ('*' within a name segment, '**' across). Repeatable.",
        Record = o => string.Join(";", o.Selection.Include),
        Bind = (o, v) => o with { Selection = o.Selection with { Include = [.. v] } },
    };

    public static ComputationOption Exclude { get; } = new()
    {
        Name = "exclude", SettingsKey = "exclude", ApiMember = "Selection.Exclude",
        CliFlag = "--exclude", MsBuildMetadata = "ExcludeTensors", Arity = OptionArity.Values,
        Help = "Skip tensors whose name matches this glob. Repeatable.",
        Record = o => string.Join(";", o.Selection.Exclude),
        Bind = (o, v) => o with { Selection = o.Selection with { Exclude = [.. v] } },
    };

    public static ComputationOption Device { get; } = new()
    {
        Name = "device", ApiMember = "Device",
        CliFlag = "--device", MsBuildMetadata = "Device", Arity = OptionArity.Value, Default = "cpu",
        Help = "TorchSharp device for the spectra: cpu, cuda or cuda:N.",
        Bind = (o, v) => o with { Device = v[0] },
    };

    public static ComputationOption Precision { get; } = new()
    {
        Name = "precision", SettingsKey = "precision", ApiMember = "Precision",
        CliFlag = "--dtype", MsBuildMetadata = "Precision", Arity = OptionArity.Value, Default = "float64", Choices = ["float64", "float32"],
        Help = "Precision of the Gram matrix and its eigenvalues.",
        Record = o => o.Precision == SpectrumPrecision.Float64 ? "float64" : "float32",
        Bind = (o, v) => o with { Precision = v[0] == "float32" ? SpectrumPrecision.Float32 : SpectrumPrecision.Float64 },
        Restore = b => b is "float32" or "float64" ? b : null,
    };

    public static ComputationOption Sketch { get; } = new()
    {
        Name = "sketch", SettingsKey = "sketch", ApiMember = "Sketch",
        CliFlag = "--sketch", MsBuildMetadata = "Sketch", Arity = OptionArity.Switch,
        Help = "Sketched spectra (block Lanczos quadrature) for matrices wider than 512: several times faster, approximate (docs/scale.md).",
        // Only sketched results carry the key, so exact signatures (and their committed baselines) are unchanged.
        Record = o => o.Sketch?.Describe(),
        Bind = (o, v) => o with { Sketch = v[0] == "true" ? new SketchOptions() : null },
        Restore = b => b is null ? "false" : "true",
    };

    public static ComputationOption Farms { get; } = new()
    {
        Name = "farms", SettingsKey = "farms", ApiMember = "Farms", Scope = OptionScope.Signatures,
        CliFlag = "--farms", MsBuildMetadata = "Farms", Arity = OptionArity.Switch,
        Help = "Also compute alpha_farms (FARMS windows); off by default: it more than doubles the time (docs/scale.md).",
        Record = o => Signature(o).Farms ? Signature(o).FarmsWindows.Describe() : "off",
        Bind = (o, v) => Signature(o) with { Farms = v[0] == "true" },
        Restore = b => b switch { "off" => "false", null => null, _ => "true" },
    };

    public static ComputationOption CorrelationTraps { get; } = new()
    {
        Name = "correlation_traps", SettingsKey = "correlation_traps", ApiMember = "CorrelationTraps", Scope = OptionScope.Signatures,
        CliFlag = "--correlation-traps", MsBuildMetadata = "CorrelationTraps", Arity = OptionArity.Switch,
        Help = "Also compute rand_distance, num_rand_spikes and the correlation_trap label from each layer's ESD with its elements shuffled (WeightWatcher's randomize); one more exact spectrum per layer.",
        Record = o => Signature(o).CorrelationTraps ? "on" : null,
        Bind = (o, v) => Signature(o) with { CorrelationTraps = v[0] == "true" },
    };

    public static ComputationOption LayerKinds { get; } = new()
    {
        Name = "layer_kinds", SettingsKey = "layer_kinds", ApiMember = "Kinds", Scope = OptionScope.Signatures,
        CliFlag = "--layer-kind", MsBuildMetadata = "LayerKinds", Arity = OptionArity.Values,
        Help = "Give layers a kind: GLOB=KIND (linear, conv, embedding, attention_projection, expert), over the module class and the name rule (docs/layer-kinds.md). Repeatable; first match wins.",
        // Only signatures with a kind map carry the key, so the others' bytes are unchanged.
        Record = o => Signature(o).Kinds.IsEmpty ? null : Signature(o).Kinds.Describe(),
        Bind = (o, v) => Signature(o) with { Kinds = LayerKindMap.Parse(v) },
    };

    public static ComputationOption MpFit { get; } = new()
    {
        Name = "mp_estimator", SettingsKey = "mp_estimator", ApiMember = "Metrics.MpEstimator", RefusedByDelta = true,
        CliFlag = "--mp-fit", MsBuildMetadata = "MpFit", Arity = OptionArity.Value, Default = "median", Choices = ["median", "trimmed-mean", "weightwatcher"],
        Help = "Marchenko-Pastur fit: median (default; nonzero bulk, Tracy-Widom edge), trimmed-mean (before 1.1), or weightwatcher (WeightWatcher's mp_fit: KDE fit, its spike margin and square-layer law).",
        Record = o => MetricSetting(o, "mp_estimator"),
        Bind = (o, v) => o with
        {
            Metrics = o.Metrics with
            {
                MpEstimator = v[0] switch
                {
                    "trimmed-mean" => MpSigmaEstimator.BulkTrimmedMean,
                    "weightwatcher" => MpSigmaEstimator.WeightWatcherFit,
                    _ => MpSigmaEstimator.BulkMedian,
                },
            },
        },
        Restore = b => b switch { "bulk_median" => "median", "bulk_trimmed_mean" => "trimmed-mean", "weightwatcher_fit" => "weightwatcher", _ => null },
    };

    public static ComputationOption ConvNorm { get; } = new()
    {
        Name = "conv_normalisation", SettingsKey = "conv_normalisation", ApiMember = "Matrices.ConvNormalisation", Scope = OptionScope.Signatures,
        CliFlag = "--conv-norm", MsBuildMetadata = "ConvNorm", Arity = OptionArity.Value, Default = "none", Choices = ["none", "weightwatcher"],
        Help = "Scale of Conv2D kernel matrices: none (default, the weights as stored) or weightwatcher (times sqrt(1/2), WeightWatcher's conv2d_norm: eigenvalues halve).",
        Record = o => ConvNormalisations.Describe(Signature(o).Matrices.ConvNormalisation),
        Bind = (o, v) => Signature(o) with
        {
            Matrices = Signature(o).Matrices with { ConvNormalisation = v[0] == "weightwatcher" ? ConvNormalisation.WeightWatcher : ConvNormalisation.None },
        },
        Restore = b => b switch { "weightwatcher" => "weightwatcher", null => "none", _ => null },
    };

    public static ComputationOption MinDimension { get; } = new()
    {
        Name = "min_dimension", SettingsKey = "min_dimension", ApiMember = "Selection.MinDimension",
        CliFlag = "--min-dimension", MsBuildMetadata = "MinDimension", Arity = OptionArity.Value, Default = "8",
        Help = "Skip 2-D matrices (and experts) whose smaller side is below this (default 8: below it no spectral statistic means much).",
        Record = o => o.Selection.MinDimension.ToString(CultureInfo.InvariantCulture),
        Bind = (o, v) => o with { Selection = o.Selection with { MinDimension = PositiveInteger("--min-dimension", v[0]) } },
        Restore = b => int.TryParse(b, NumberStyles.None, CultureInfo.InvariantCulture, out _) ? b : null,
    };

    public static ComputationOption Shard { get; } = new()
    {
        Name = "shard", SettingsKey = ShardSpec.SettingsKey, ApiMember = "Shard", Scope = OptionScope.Signatures,
        CliFlag = "--shard", Arity = OptionArity.Value,
        NotInGate = "a shard is a partial signature for 'spectralgate merge'; the gate checks whole models",
        Help = "Compute only shard i of n (e.g. 2/4) and write a partial signature; join the parts with 'spectralgate merge'.",
        Record = o => Signature(o).Shard?.ToString(),
        Bind = (o, v) => Signature(o) with { Shard = v.Count == 0 ? null : ShardSpec.Parse(v[0]) },
    };

    public static ComputationOption SubspaceRank { get; } = new()
    {
        Name = "subspace_rank", SettingsKey = "subspace_rank", ApiMember = "SubspaceRank", Scope = OptionScope.Deltas,
        Record = o => o.OwnSetting("subspace_rank"),
    };

    public static IReadOnlyList<ComputationOption> All { get; } =
    [
        Include, Exclude, Device, Precision, Sketch, Farms, CorrelationTraps, LayerKinds, MpFit, ConvNorm, MinDimension, Shard,
        // Set through the API only.
        new()
        {
            Name = "conv_min_eigenvalues", SettingsKey = "conv_min_eigenvalues", ApiMember = "Selection.MinEigenvalues", Scope = OptionScope.Signatures,
            Record = o => o.Selection.MinEigenvalues == TensorSelection.DefaultMinEigenvalues ? null : o.Selection.MinEigenvalues.ToString(CultureInfo.InvariantCulture),
        },
        new()
        {
            Name = "conv_matrices", SettingsKey = "conv_matrices", ApiMember = "Matrices.ConvMode", Scope = OptionScope.Signatures,
            Record = o => Signature(o).Matrices.ConvMode == ConvMatrixMode.PerKernelPosition ? "per_kernel_position" : "flatten",
        },
        new()
        {
            Name = "split_fused_projections", SettingsKey = "split_fused_projections", ApiMember = "Matrices.SplitFusedProjections", Scope = OptionScope.Signatures,
            Record = o => Signature(o).Matrices.SplitFusedProjections ? "true" : "false",
        },
        SubspaceRank,
        Metric("health_thresholds", "Metrics.Health"),
        Metric("health_judging", "Metrics.Health"),
        Metric("power_law_fix_fingers", "Metrics.PowerLawFixFingers"),
        Metric("power_law_min_eigenvalues", "Metrics.PowerLawMinEigenvalues"),
        Metric("power_law_threshold", "Metrics.PowerLawThreshold"),
        Metric("rank_convention", "Metrics.RankConvention"),
    ];

    /// <summary>The settings a result of these options records: every option that changes a number, and none that does not (device, threads).</summary>
    public static IReadOnlyDictionary<string, string> Settings(ComputeOptions options)
    {
        var settings = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var option in All)
            if (option.SettingsKey is { } key && option.AppliesTo(options) && option.Record(options) is { } value)
                settings[key] = value;
        return settings;
    }

    /// <summary>The option recorded under this settings key; null for a key no option records (one from a later release).</summary>
    public static ComputationOption? ByKey(string key) => All.FirstOrDefault(o => o.SettingsKey == key);

    private static SignatureOptions Signature(ComputeOptions options) => (SignatureOptions)options;

    private static int PositiveInteger(string flag, string text) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int value) && value > 0
            ? value : throw new ArgumentException($"{flag} '{text}' is not a positive whole number.");

    /// <summary>A metric option: its value is written by <see cref="MetricOptions.Describe"/>, the metrics stage's own format.</summary>
    private static ComputationOption Metric(string key, string apiMember) => new()
    {
        Name = key, SettingsKey = key, ApiMember = apiMember,
        Record = o => MetricSetting(o, key),
    };

    private static string? MetricSetting(ComputeOptions options, string key) =>
        options.Metrics.Describe().FirstOrDefault(p => p.Key == key).Value;
}
