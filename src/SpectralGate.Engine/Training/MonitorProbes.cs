namespace SpectralGate.Engine.Training;

/// <summary>
/// Probes of the monitor: forward hooks on <see cref="Modules"/> (<see cref="Probes.ActivationProbe"/>: NerVE's
/// entropy, participation ratio, EEE, alpha-ReQ; JS divergence and PR gain for <see cref="Pairs"/>), registered only while
/// <see cref="Calibrate"/> runs the fixed calibration batch at a recording step, under <c>no_grad</c> and in eval mode.
/// Hooks fire only through <c>Module.call</c>: a probed module that captured nothing is an error
/// (<see cref="Probes.HooksNeverFiredException"/>). <see cref="Mixers"/> adds the mixer probe (<see cref="Probes.MixerProbe"/>:
/// deviation from doubly stochastic, spectral norms, routing entropy, composite gain) on the same calibration batch.
/// </summary>
public sealed class MonitorProbes
{
    /// <summary>Names of the modules whose outputs are probed (<c>named_modules()</c> names).</summary>
    public IReadOnlyList<string> Modules { get; init; } = [];

    /// <summary>
    /// Hyper-connection modules that output the residual mixers <c>[..., n, n]</c>, in depth order: each records a layer
    /// <c>probe:mixer/{module}</c>, its composite gain that of the product of the mixers up to it.
    /// </summary>
    public IReadOnlyList<string> Mixers { get; init; } = [];

    /// <summary>(pre, post) pairs, e.g. an FFN's up projection and its activation.</summary>
    public IReadOnlyList<(string Pre, string Post)> Pairs { get; init; } = [];

    /// <summary>Runs the calibration batch through the model, e.g. <c>() => model.call(calibration)</c>; the result is disposed.</summary>
    public required Func<TorchSharp.torch.Tensor> Calibrate { get; init; }

    /// <summary>Probe every n-th cheap record (1 = every record). Default 1.</summary>
    public int Every { get; init; } = 1;
}
