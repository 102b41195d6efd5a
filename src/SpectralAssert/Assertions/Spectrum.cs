using System.Text.RegularExpressions;
using SpectralAssert.Snapshots;
using SpectralGate.Engine.Matrices;
using SpectralGate.Engine.Signatures;

namespace SpectralAssert.Assertions;

/// <summary>
/// Entry point of the spectral assertions, used with NUnit's <c>Assert.That</c>:
/// <code>
/// Assert.That(model, Spectrum.Layers("blocks.*.fc1.weight").Alpha.InRange(2, 6));
/// Assert.That(checkpointPath, Spectrum.AllLayers.Are.Not.UnderTrained);
/// Assert.That(after, Spectrum.Of(before).StableRank.DroppedBy.AtMost(0.2));
/// </code>
/// The actual value may be a TorchSharp module, a checkpoint path or a <see cref="SpectralSignature"/>.
/// </summary>
public static class Spectrum
{
    /// <summary>Layers whose name matches the glob (<c>*</c> within a segment, <c>**</c> across segments).</summary>
    public static LayerAssertion Layers(string glob) => new(LayerSelector.All.Glob(glob), SpectralSettings.Defaults.Signature);

    public static LayerAssertion Layers(Regex regex) => new(LayerSelector.All.Regex(regex), SpectralSettings.Defaults.Signature);

    public static LayerAssertion Layers(Func<LayerSignature, bool> predicate, string description = "matching a predicate") =>
        new(LayerSelector.All.Where(predicate, description), SpectralSettings.Defaults.Signature);

    public static LayerAssertion LayersOfKind(LayerKind kind) => new(LayerSelector.All.Kind(kind), SpectralSettings.Defaults.Signature);

    public static LayerAssertion AllLayers => new(LayerSelector.All, SpectralSettings.Defaults.Signature);

    /// <summary>Compares the actual model with <paramref name="before"/> (module, path or signature), layer by layer.</summary>
    public static SpectrumComparison Of(object before) => new(before, LayerSelector.All, SpectralSettings.Defaults.Signature);

    /// <summary>
    /// What a fine-tune changed: metrics of ΔW = W_actual − W_base per layer matched by name (docs/fine-tuning.md). The
    /// base and the actual may be checkpoint paths or TorchSharp modules; the actual may also be a PEFT LoRA folder.
    /// </summary>
    public static DeltaAssertion DeltaFrom(object baseModel) => new(baseModel, [], new SpectralGate.Engine.Deltas.DeltaOptions());
}
