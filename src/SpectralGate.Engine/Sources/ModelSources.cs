using SpectralGate.Engine.Errors;
using SpectralGate.Engine.Sources.Safetensors;
using SpectralGate.Engine.Sources.TorchSharp;

namespace SpectralGate.Engine.Sources;

/// <summary>Opens a model file as a tensor source, choosing the reader by the file's name and first bytes.</summary>
public static class ModelSources
{
    /// <summary>
    /// <c>*.safetensors</c>; <c>*.safetensors.index.json</c> (sharded); <c>*.onnx</c>; anything else is tried as a
    /// TorchSharp <c>Module.save</c> file. Throws <see cref="ModelFormatException"/> naming the file when it is
    /// missing or unreadable.
    /// </summary>
    public static ITensorSource Open(string path)
    {
        if (Directory.Exists(path))
            throw new ModelFormatException(path, null, "is a folder; give the model file (or the *.safetensors.index.json of a sharded checkpoint).");
        if (!File.Exists(path))
            throw new ModelFormatException(path, null, "file not found.");

        string name = Path.GetFileName(path).ToLowerInvariant();
        if (name.EndsWith(".index.json", StringComparison.Ordinal)) return new SafetensorsShardedSource(path);
        if (name.EndsWith(".safetensors", StringComparison.Ordinal)) return new SafetensorsFileSource(path);
        if (name.EndsWith(".onnx", StringComparison.Ordinal)) return new Onnx.OnnxModelSource(path);
        if (name.EndsWith(".json", StringComparison.Ordinal))
            throw new ModelFormatException(path, null, "is JSON, not a model; sharded checkpoints are opened by their *.safetensors.index.json.");
        // Module.save files have no fixed extension (.dat, .bin, .pt are all seen); the reader's checks tell.
        return new TorchSharpCheckpointSource(path);
    }
}
