namespace SpectralGate.Engine.Probes;

/// <summary>
/// A probe's forward hooks did not fire while the model ran: TorchSharp runs hooks only in <c>Module.call(x)</c>, never
/// in <c>Module.forward(x)</c> (TorchSharp #1059, #1203), so a model whose <c>forward</c> calls its submodules'
/// <c>forward</c> is invisible to probes. Thrown instead of reporting an empty metric.
/// </summary>
public sealed class HooksNeverFiredException(IReadOnlyList<string> modules, string probe)
    : InvalidOperationException(
        $"{probe}: the forward hook of module(s) {string.Join(", ", modules.Select(m => $"'{m}'"))} never fired while the calibration batch ran, "
        + "so there is nothing to measure. TorchSharp runs hooks only through Module.call(x), not Module.forward(x): in the model's forward, "
        + $"call the submodule as {modules[0]}.call(x) (or hold it in a Sequential, which uses call), and run the calibration batch with model.call(x).")
{
    /// <summary>The activation probe's form, kept as it shipped (an optional parameter would change its binary signature).</summary>
    public HooksNeverFiredException(IReadOnlyList<string> modules) : this(modules, "activation probe") { }

    /// <summary>The modules whose hooks never fired.</summary>
    public IReadOnlyList<string> Modules { get; } = modules;
}
