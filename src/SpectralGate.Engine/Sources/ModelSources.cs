using SpectralGate.Engine.Errors;
using SpectralGate.Engine.Sources.Gguf;
using SpectralGate.Engine.Sources.PyTorch;
using SpectralGate.Engine.Sources.Safetensors;
using SpectralGate.Engine.Sources.TorchSharp;

namespace SpectralGate.Engine.Sources;

/// <summary>Opens a model file as a tensor source, choosing the reader by the file's name and first bytes.</summary>
public static class ModelSources
{
    /// <summary>
    /// <c>*.safetensors</c>; <c>*.safetensors.index.json</c> (sharded); <c>*.onnx</c>; <c>*.gguf</c> or a file starting
    /// with GGUF's magic; <c>*.bin.index.json</c> / <c>*.pt.index.json</c> (sharded PyTorch); a zip archive (an ML.NET
    /// model when it holds a <c>TransformerChain/</c>, else a <c>torch.save</c> checkpoint, whatever its extension); anything else is tried as a TorchSharp <c>Module.save</c>
    /// file, except that a pickle (a legacy <c>torch.save</c>) is refused. Throws <see cref="ModelFormatException"/> naming the file when it is
    /// missing or unreadable.
    /// </summary>
    public static ITensorSource Open(string path)
    {
        if (Directory.Exists(path))
            throw new ModelFormatException(path, null, "is a folder; give the model file (or the *.safetensors.index.json of a sharded checkpoint).");
        if (!File.Exists(path))
            throw new ModelFormatException(path, null, "file not found.");

        string name = Path.GetFileName(path).ToLowerInvariant();
        if (name.EndsWith(".bin.index.json", StringComparison.Ordinal) || name.EndsWith(".pt.index.json", StringComparison.Ordinal))
            return new PyTorchShardedSource(path);
        if (name.EndsWith(".index.json", StringComparison.Ordinal)) return new SafetensorsShardedSource(path);
        if (name.EndsWith(".safetensors", StringComparison.Ordinal)) return new SafetensorsFileSource(path);
        if (name.EndsWith(".onnx", StringComparison.Ordinal)) return new Onnx.OnnxModelSource(path);
        if (name.EndsWith(".json", StringComparison.Ordinal))
            throw new ModelFormatException(path, null, "is JSON, not a model; sharded checkpoints are opened by their *.safetensors.index.json.");
        if (name.EndsWith(".gguf", StringComparison.Ordinal)) return new GgufModelSource(path);
        switch (CheckpointSniffer.Sniff(path))
        {
            case CheckpointKind.Gguf: return new GgufModelSource(path);
            // mlContext.Model.Save writes a zip too; its TransformerChain/ folder tells it from a torch.save archive.
            case CheckpointKind.Zip: return MlNet.MlNetModelSource.IsModelZip(path) ? new MlNet.MlNetModelSource(path) : new PyTorchCheckpointSource(path);
            case CheckpointKind.Pickle:
                throw new ModelFormatException(path, null, "is a legacy torch.save file (a bare pickle, PyTorch before 1.6), which is not read; " +
                    "load it in PyTorch and save it again with torch.save(state_dict, path) (the zip format) or as safetensors.");
        }
        // Module.save files have no fixed extension (.dat, .bin, .pt are all seen); the reader's checks tell.
        return new TorchSharpCheckpointSource(path);
    }
}
