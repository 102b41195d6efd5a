using TorchSharp;

namespace SpectralGate.Engine.Sources;

/// <summary>A model seen as a sequence of named tensors, yielded lazily in the order the model stores them.</summary>
public interface ITensorSource : IDisposable
{
    /// <summary>What the model is, as given by the caller (a path, or a description for a live module).</summary>
    string Description { get; }

    /// <summary>Format name written to signatures: <c>safetensors</c>, <c>onnx</c>, <c>torchsharp</c>, <c>module</c>.</summary>
    string Format { get; }

    /// <summary>The tensors, described; reading an entry's data is up to the caller.</summary>
    IEnumerable<TensorEntry> Tensors { get; }

    /// <summary>SHA-256 of the model's bytes (all files of a sharded checkpoint, in index order), lowercase hex.</summary>
    string ComputeSha256();

    /// <summary>
    /// True when <see cref="ComputeSha256"/> reads the model's files through its own handles, so it may run on another
    /// thread while tensors are read: the engine then hashes beside the spectra. False (the default) hashes after them.
    /// </summary>
    bool HashesFilesIndependently => false;
}
