using System.CommandLine;
using SpectralGate.Engine.Errors;
using SpectralGate.Engine.Matrices;
using SpectralGate.Engine.Metrics;
using SpectralGate.Engine.Runtime;
using SpectralGate.Engine.Sources;
using SpectralGate.Engine.Spectra;
using SpectralGate.Engine.Signatures;

namespace SpectralGate.Cli.Commands;

/// <summary>Options shared by the commands that compute signatures, and the mapping of errors to exit codes.</summary>
internal static class CommonOptions
{
    public static readonly Option<bool> Verbose = new("--verbose", "-v")
    {
        Description = "Print stack traces with errors.",
        Recursive = true,
    };

    public static Option<string[]> Include() => new("--include")
    {
        Description = "Analyse only tensors whose name matches this glob ('*' within a name segment, '**' across). Repeatable.",
        AllowMultipleArgumentsPerToken = false,
    };

    public static Option<string[]> Exclude() => new("--exclude")
    {
        Description = "Skip tensors whose name matches this glob. Repeatable.",
    };

    public static Option<string> Device() => new("--device")
    {
        Description = "TorchSharp device for the spectra: cpu, cuda or cuda:N.",
        DefaultValueFactory = _ => "cpu",
    };

    public static Option<string> Precision() => new Option<string>("--dtype")
    {
        Description = "Precision of the Gram matrix and its eigenvalues.",
        DefaultValueFactory = _ => "float64",
    }.AcceptOnlyFromAmong("float64", "float32");

    public static Option<bool> Sketch() => new("--sketch")
    {
        Description = "Sketched spectra (block Lanczos quadrature) for matrices wider than 512: several times faster, approximate (docs/scale.md).",
    };

    public static Option<bool> Farms() => new("--farms")
    {
        Description = "Also compute alpha_farms (FARMS windows); off by default: it more than doubles the time (docs/scale.md).",
    };

    public static Option<string[]> LayerKind() => new("--layer-kind")
    {
        Description = "Give layers a kind: GLOB=KIND (linear, conv, embedding, attention_projection, expert), over the module class and the name rule (docs/layer-kinds.md). Repeatable; first match wins.",
    };
    public static Option<string> MpFit() => new Option<string>("--mp-fit")
    {
        Description = "Marchenko-Pastur fit: median (default; nonzero bulk, Tracy-Widom edge), trimmed-mean (before 1.1), or weightwatcher (WeightWatcher's mp_fit: KDE fit, its spike margin and square-layer law).",
        DefaultValueFactory = _ => MpFitNames.Default,
    }.AcceptOnlyFromAmong(MpFitNames.All);

    public static Option<string> ConvNorm() => new Option<string>("--conv-norm")
    {
        Description = "Scale of Conv2D kernel matrices: none (default, the weights as stored) or weightwatcher (times sqrt(1/2), WeightWatcher's conv2d_norm: eigenvalues halve).",
        DefaultValueFactory = _ => "none",
    }.AcceptOnlyFromAmong("none", "weightwatcher");

    public static Option<string?> Shard() => new("--shard")
    {
        Description = "Compute only shard i of n (e.g. 2/4) and write a partial signature; join the parts with 'spectralgate merge'.",
    };

    public static SignatureOptions ToSignatureOptions(string[]? include, string[]? exclude, string device, string precision, Action<string, double[]>? spectrumObserver = null,
        bool sketch = false, string? shard = null, bool farms = false, bool correlationTraps = false, string[]? layerKinds = null, string mpFit = MpFitNames.Default, string convNorm = "none") => new()
    {
        CorrelationTraps = correlationTraps,
        Kinds = LayerKindMap.Parse(layerKinds ?? []),
        Farms = farms,
        Matrices = new MatrixViewOptions { ConvNormalisation = convNorm == "weightwatcher" ? ConvNormalisation.WeightWatcher : ConvNormalisation.None },
        Metrics = new MetricOptions { MpEstimator = MpFitNames.Parse(mpFit) },
        SpectrumObserver = spectrumObserver,
        Sketch = sketch ? new SketchOptions() : null,
        Shard = shard is null ? null : ShardSpec.Parse(shard),
        Device = device,
        Precision = precision == "float32" ? SpectrumPrecision.Float32 : SpectrumPrecision.Float64,
        Selection = new TensorSelection { Include = include ?? [], Exclude = exclude ?? [] },
    };

    /// <summary>Runs a command body, turning input errors into exit code 2 with a one-line message (and a stack trace with --verbose).</summary>
    public static int Run(ParseResult parse, Func<int> body)
    {
        try
        {
            return body();
        }
        catch (Exception e) when (e is DeviceUnavailableException or MemoryExhaustedException or SpectrumComputationException || TorchRuntimeLoadFailure.Describes(e))
        {
            // Not the input's fault: this machine (or this build of the tool) cannot compute the spectra.
            Console.Error.WriteLine(TorchRuntimeLoadFailure.Describes(e)
                ? $"error: spectralgate cannot load libtorch on this machine ({TorchRuntimeLoadFailure.Describe(e)}). {SpectralGate.Engine.Gate.ToolInstallHint.Text}"
                : $"error: {e.Message}");
            if (parse.GetValue(Verbose)) Console.Error.WriteLine(e);
            return ExitCodes.CannotRun;
        }
        catch (Exception e) when (e is SpectralGateException or ArgumentException or IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            if (parse.GetValue(Verbose)) Console.Error.WriteLine(e);
            return ExitCodes.BadInput;
        }
    }
}
