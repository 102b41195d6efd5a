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
    public static SpectralSignature Compute(ITensorSource source, SignatureOptions? options = null,
        IProgress<SignatureProgress>? progress = null, CancellationToken cancellationToken = default) =>
        Compute(source, options, progress, cancellationToken, knownSha256: null);

    /// <summary>As <see cref="Compute(ITensorSource, SignatureOptions?, IProgress{SignatureProgress}?, CancellationToken)"/>, reusing a hash the caller already has.</summary>
    internal static SpectralSignature Compute(ITensorSource source, SignatureOptions? options,
        IProgress<SignatureProgress>? progress, CancellationToken cancellationToken, string? knownSha256)
    {
        options ??= new SignatureOptions();
        options.Sketch?.Validate();
        torch.Device device = ParseDevice(source.Description, options.Device);
        torch.ScalarType computeType = options.Precision == SpectrumPrecision.Float64 ? torch.ScalarType.Float64 : torch.ScalarType.Float32;

        var layers = new List<LayerSignature>();
        var skipped = new List<SkippedTensor>();
        var reasons = new List<string>();
        IReadOnlyDictionary<string, int>? plan = options.Shard is { } shard ? ShardPlan.Assign(source.Tensors, shard.Count) : null;
        long parameters = 0;
        int done = 0, tensors = 0;
        var includes = new IncludeGlobUse(options.Selection.Include);
        foreach (TensorEntry entry in source.Tensors)
        {
            cancellationToken.ThrowIfCancellationRequested();
            parameters += entry.ElementCount;
            tensors++;
            includes.See(entry.Name);
            if (plan is not null && plan[entry.Name] != options.Shard!.Index)
            {
                progress?.Report(new SignatureProgress(++done, entry.Name));
                continue;
            }
            string? reason = options.Selection.SkipReason(entry, MatrixViews.RowAxis(entry.Name, entry.Shape)) ?? MatrixViews.SkipReason(entry.Name, entry.Shape);
            if (reason is not null)
            {
                if (reason != "not included" && reason != "excluded") skipped.Add(new SkippedTensor(entry.Name, entry.Shape, reason));
                reasons.Add(reason);
            }
            else
            {
                layers.AddRange(ComputeLayers(source, entry, device, computeType, options));
            }
            progress?.Report(new SignatureProgress(++done, entry.Name));
        }

        // A shard may own nothing analysable; the merged signature is checked instead (SignatureMerge). A live module is
        // read, not decoded, and its activation probes may be the layers (WithProbes): only files must yield a layer.
        if (plan is null && source.Format != "module") includes.ThrowIfAnyUnmatched(source.Description);
        if (layers.Count == 0 && plan is null && source.Format != "module") throw NothingAnalysedException.For(source.Description, tensors, reasons);
        layers.Sort((a, b) => NaturalNameComparer.Instance.Compare(a.Name, b.Name));
        skipped.Sort((a, b) => NaturalNameComparer.Instance.Compare(a.Name, b.Name));
        return new SpectralSignature
        {
            Model = new ModelInfo(source.Description, source.Format, knownSha256 ?? source.ComputeSha256(), parameters),
            Settings = Settings(options),
            Layers = layers,
            Skipped = skipped,
        };
    }

    /// <summary>The settings written to the signature: every option that changes a number, and none that does not (device, threads).</summary>
    public static IReadOnlyDictionary<string, string> Settings(SignatureOptions options)
    {
        var settings = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["conv_matrices"] = options.Matrices.ConvMode == ConvMatrixMode.PerKernelPosition ? "per_kernel_position" : "flatten",
            ["exclude"] = string.Join(";", options.Selection.Exclude),
            ["farms"] = options.Farms ? options.FarmsWindows.Describe() : "off",
            ["include"] = string.Join(";", options.Selection.Include),
            ["min_dimension"] = options.Selection.MinDimension.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["precision"] = options.Precision == SpectrumPrecision.Float64 ? "float64" : "float32",
            ["split_fused_projections"] = options.Matrices.SplitFusedProjections ? "true" : "false",
        };
        foreach (var (key, value) in options.Metrics.Describe()) settings[key] = value;
        // Only sketched signatures carry the key, so exact signatures (and their committed baselines) are unchanged.
        if (options.Sketch is not null) settings["sketch"] = options.Sketch.Describe();
        if (options.Shard is not null) settings[ShardSpec.SettingsKey] = options.Shard.ToString();
        return settings;
    }

    private static IEnumerable<LayerSignature> ComputeLayers(ITensorSource source, TensorEntry entry, torch.Device device, torch.ScalarType computeType, SignatureOptions options)
    {
        var result = new List<LayerSignature>();
        using var scope = torch.NewDisposeScope();
        torch.Tensor weight;
        try
        {
            weight = entry.Load(device, computeType);
        }
        catch (Exception e) when (MemoryExhaustedException.Describes(e))
        {
            throw OutOfMemory(source, entry.Name, e);
        }
        catch (Exception e) when (e is not SpectralGateException and not OperationCanceledException && !TorchRuntimeLoadFailure.Describes(e))
        {
            // A decoding failure; memory and a missing libtorch are the machine's trouble, reported apart.
            throw new ModelFormatException(source.Description, entry.Name, $"cannot be read: {e.Message}", e);
        }

        if (!torch.isfinite(weight).all().item<bool>())
        {
            // NaN/Inf make every spectral number meaningless: report the layer, labelled, with no metrics.
            result.Add(new LayerSignature
            {
                Name = entry.Name, Shape = entry.Shape, Kind = LayerKinds.Classify(entry.Name, entry.Shape),
                Metrics = new SortedDictionary<string, double?>(StringComparer.Ordinal),
                Labels = [HealthLabels.NonFinite],
            });
            return result;
        }

        foreach (MatrixView view in MatrixViews.Create(entry.Name, weight, options.Matrices))
        {
            bool sketched = options.Sketch is { } sketch && view.Count == 1 && view.Cols > sketch.ExactUpTo;
            double[] eigenvalues = sketched
                ? Guarded(source, view.Name, () => LanczosQuadratureSpectrum.Eigenvalues(view.Batch[0], options.Sketch!, view.Name))
                : Guarded(source, view.Name, () => GramSpectrum.Eigenvalues(view.Batch));
            options.SpectrumObserver?.Invoke(view.Name, eigenvalues);
            var metrics = SpectrumMetrics.Compute(eigenvalues, view.Rows, view.Cols, options.Metrics, options.Precision == SpectrumPrecision.Float32);
            var values = new SortedDictionary<string, double?>(metrics.Values, StringComparer.Ordinal);
            // σ_min is beyond a sketch: the lowest Ritz value is only an upper bound on it (docs/scale.md).
            if (sketched) values[MetricNames.ConditionNumber] = null;
            if (options.Farms && view.Count == 1)
                values[MetricNames.AlphaFarms] = Guarded(source, view.Name, () => FarmsAlpha(view.Batch[0], options));
            result.Add(new LayerSignature
            {
                Name = view.Name,
                Shape = view.Name == entry.Name ? entry.Shape : view.Batch.shape[1..],
                Kind = view.Kind,
                Metrics = values,
                Labels = metrics.Labels,
            });
        }
        return result;
    }

    /// <summary>FARMS alpha: the same power-law fit as alpha, on the pooled spectrum of the matrix's windows.</summary>
    private static double? FarmsAlpha(torch.Tensor matrix, SignatureOptions options) =>
        PowerLawFit.Fit(FarmsSpectrum.Eigenvalues(matrix, options.FarmsWindows), options.Metrics.PowerLaw)?.Alpha;

    /// <summary>Runs a spectrum computation, naming the file and layer when even the fallbacks of <see cref="GramSpectrum"/> fail.</summary>
    private static T Guarded<T>(ITensorSource source, string layer, Func<T> compute)
    {
        try
        {
            return compute();
        }
        catch (Exception e) when (MemoryExhaustedException.Describes(e))
        {
            throw OutOfMemory(source, layer, e);
        }
        catch (System.Runtime.InteropServices.ExternalException e)
        {
            throw new SpectrumComputationException(source.Description, layer, $"the eigensolver did not converge: {e.Message.Split('\n')[0]}", e);
        }
    }

    private static MemoryExhaustedException OutOfMemory(ITensorSource source, string layer, Exception e) =>
        new(source.Description, layer, $"out of memory computing its spectrum ({e.Message.Split('\n')[0].Trim()}); use a machine with more memory, float32 precision or sketched spectra (docs/scale.md)", e);

    private static torch.Device ParseDevice(string model, string device)
    {
        torch.Device parsed;
        try
        {
            parsed = new torch.Device(device);
        }
        catch (Exception e) when (!TorchRuntimeLoadFailure.Describes(e))
        {
            throw new ArgumentException($"'{device}' is not a TorchSharp device (cpu, cuda, cuda:N).", e);
        }
        if (parsed.type == DeviceType.CUDA && !torch.cuda.is_available())
            throw new DeviceUnavailableException(model, device,
                $"device '{device}' was asked for but no CUDA runtime is loaded in this process: it references libtorch CPU only. "
                + "Reference a TorchSharp-cuda-linux or TorchSharp-cuda-windows package (for the gate: publish a CLI with one and set SpectralGateCliPath, docs/gpu-and-linux.md), or use --device cpu.");
        if (parsed.type == DeviceType.CUDA && parsed.index >= torch.cuda.device_count())
            throw new DeviceUnavailableException(model, device, $"device '{device}' was asked for but this machine has {torch.cuda.device_count()} CUDA device(s).");
        return parsed;
    }
}
