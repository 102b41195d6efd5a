using SpectralGate.Engine.Deltas;
using SpectralGate.Engine.Sources;
using SpectralGate.Engine.Sources.TorchSharp;
using TorchSharp;

namespace SpectralAssert.Assertions;

/// <summary>What a delta assertion can be given: checkpoint paths, TorchSharp modules, and for the tuned side a PEFT LoRA folder.</summary>
internal static class DeltaInputs
{
    public static DeltaSignature Compute(object baseModel, object? tuned, DeltaOptions options)
    {
        using ITensorSource baseSource = Open(baseModel, "base");
        if (PathOf(tuned) is { } folder && LoraAdapter.IsAdapter(folder))
        {
            using var adapter = LoraAdapter.Open(folder);
            return DeltaEngine.Compute(baseSource, adapter, options);
        }
        using ITensorSource tunedSource = Open(tuned, "actual");
        return DeltaEngine.Compute(baseSource, tunedSource, options);
    }

    private static string? PathOf(object? input) => input switch
    {
        string path => path,
        FileInfo file => file.FullName,
        _ => null,
    };

    private static ITensorSource Open(object? input, string side) => input switch
    {
        torch.nn.Module module => new ModuleSource(module),
        _ when PathOf(input) is { } path => ModelSources.Open(path),
        null => throw new ArgumentNullException(side, $"expected a checkpoint path or a TorchSharp module as the {side} model, but got null."),
        _ => throw new ArgumentException($"expected a checkpoint path or a TorchSharp module as the {side} model, but got {input.GetType().FullName}.", side),
    };
}
