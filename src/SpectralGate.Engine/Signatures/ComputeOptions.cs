using SpectralGate.Engine.Metrics;
using SpectralGate.Engine.Runtime;
using SpectralGate.Engine.Sources;
using SpectralGate.Engine.Spectra;

namespace SpectralGate.Engine.Signatures;

/// <summary>
/// The part of a computation's options that signatures and deltas share: where and how precisely spectra are taken,
/// which tensors, the metrics' settings and sketching. Immutable: compose with <c>with { ... }</c>; a
/// <c>DeltaOptions</c> is made from a <see cref="SignatureOptions"/>' shared part by its constructor.
/// Each option, its settings key and its CLI and MSBuild spellings are declared once in <see cref="ComputationOptions"/>.
/// </summary>
public abstract record ComputeOptions
{
    /// <summary>TorchSharp device for the spectra: <c>cpu</c> (default), <c>cuda</c>, <c>cuda:1</c>, ... Not recorded: results agree across devices within tolerance.</summary>
    public string Device { get; init; } = "cpu";

    public SpectrumPrecision Precision { get; init; } = SpectrumPrecision.Float64;

    /// <summary>Which tensors are analysed (for a delta: matched by name in both checkpoints).</summary>
    public TensorSelection Selection { get; init; } = new();

    public MetricOptions Metrics { get; init; } = new();

    /// <summary>
    /// Null (default) for exact spectra. Set, matrices whose smaller side is above <see cref="SketchOptions.ExactUpTo"/> get a
    /// sketched spectrum (<see cref="LanczosQuadratureSpectrum"/>): several times faster, with the errors listed in
    /// docs/scale.md. Recorded as the <c>sketch</c> setting, so sketched and exact results never pass for each other.
    /// </summary>
    public SketchOptions? Sketch { get; init; }

    /// <summary>The kind of result these options compute, which decides the options it records (<see cref="ComputationOption.Scope"/>).</summary>
    internal abstract OptionScope Result { get; }

    /// <summary>The device (checked: SG1011 when this process cannot use it) and scalar type these options compute on, for work on <paramref name="model"/>.</summary>
    public ComputeTarget Target(string model) => ComputeTarget.Open(model, Device, Precision == SpectrumPrecision.Float32);

    /// <summary>The recorded value of an option only this kind of result has (a delta's <c>subspace_rank</c>), which the
    /// registry in this folder cannot name without reaching into a later stage.</summary>
    internal virtual string? OwnSetting(string key) => null;
}
