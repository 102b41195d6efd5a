namespace SpectralGate.Engine.Sources.PyTorch;

/// <summary>A global a pickle imported and the unpickler allows (<c>module.name</c>); it is a name, never code.</summary>
internal sealed record PickleGlobal(string Module, string Name)
{
    public string FullName => $"{Module}.{Name}";
}

/// <summary>A dict or OrderedDict, keys in insertion order (what a state dict is).</summary>
internal sealed class PickleDict
{
    public List<KeyValuePair<object?, object?>> Items { get; } = [];
}

/// <summary>A storage named by a persistent id <c>('storage', torch.FloatStorage, key, location, numel)</c>: the zip entry <c>data/key</c>.</summary>
internal sealed record TorchStorage(string Key, TorchStorageType Type, long ElementCount);

/// <summary>What <c>torch._utils._rebuild_tensor_v2</c> would build: a strided view of a storage.</summary>
internal sealed record TorchTensor(TorchStorage Storage, long StorageOffset, long[] Size, long[] Stride);
