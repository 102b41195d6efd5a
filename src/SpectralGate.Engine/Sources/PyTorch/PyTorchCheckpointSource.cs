using System.IO.Compression;
using SpectralGate.Engine.Errors;
using TorchSharp;

namespace SpectralGate.Engine.Sources.PyTorch;

/// <summary>
/// A <c>torch.save</c> zip archive (<c>pytorch_model.bin</c>, <c>.pt</c>, <c>.pth</c>, PyTorch 1.6 and later): the
/// pickle <c>archive/data.pkl</c> read by <see cref="RestrictedUnpickler"/>, and one zip entry <c>archive/data/KEY</c>
/// per storage. Nested dicts are flattened with dots (<c>{"model": {"fc.weight": t}}</c> gives <c>model.fc.weight</c>);
/// values that are not tensors (optimizer steps, config) are ignored. Tensors are strided views of storages, which
/// they may share; each view is checked against its storage and read when its entry is loaded.
/// </summary>
public sealed class PyTorchCheckpointSource : ITensorSource
{
    /// <summary>A state dict's pickle is kilobytes to a few megabytes; larger ones are refused before being read.</summary>
    public const long MaxPickleBytes = 256L << 20;

    /// <summary>Nesting of dicts beyond this is taken as hostile (it also stops a dict that contains itself).</summary>
    public const int MaxNesting = 32;

    private readonly string _path;
    private readonly string _prefix;
    private readonly List<(string Name, TorchTensor Tensor)> _tensors = [];
    private ZipArchive? _zip;

    public PyTorchCheckpointSource(string path)
    {
        _path = path;
        try
        {
            _zip = ZipFile.OpenRead(path);
            var pickles = _zip.Entries.Where(e => e.FullName.EndsWith("/data.pkl", StringComparison.Ordinal) && e.FullName.Count(c => c == '/') == 1).ToList();
            if (_zip.Entries.Any(e => e.FullName.EndsWith("/constants.pkl", StringComparison.Ordinal)))
                throw new ModelFormatException(path, null, "is a TorchScript archive (torch.jit.save), not a torch.save state dict; save model.state_dict() with torch.save.");
            if (pickles.Count != 1)
                throw new ModelFormatException(path, null, pickles.Count == 0 ? "is a zip archive without a torch.save 'archive/data.pkl'." : "has more than one data.pkl.");
            _prefix = pickles[0].FullName[..^"data.pkl".Length];
            if (_zip.GetEntry(_prefix + "byteorder") is { } order && ReadText(order) != "little")
                throw new ModelFormatException(path, null, "was saved on a big-endian machine; only little-endian checkpoints are read.");
            if (pickles[0].Length > MaxPickleBytes)
                throw new ModelFormatException(path, null, $"data.pkl is {pickles[0].Length} bytes, above the {MaxPickleBytes}-byte limit.");
            byte[] pickle = ReadAll(pickles[0], (int)pickles[0].Length);
            Flatten(RestrictedUnpickler.Load(path, pickle), "", 0);
            foreach (var (name, tensor) in _tensors) Validate(name, tensor);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException)
        {
            _zip?.Dispose();
            throw new ModelFormatException(path, null, e is FileNotFoundException or DirectoryNotFoundException ? "file not found." : $"is not a readable zip archive: {e.Message}", e);
        }
        catch
        {
            _zip?.Dispose();
            throw;
        }
    }

    public string Description => _path;

    public string Format => "pytorch";

    public IEnumerable<TensorEntry> Tensors => _tensors.Select(t => (TensorEntry)new Entry(this, t.Name, t.Tensor));

    public string ComputeSha256() => FileSha256.Of(_path);


    public bool HashesFilesIndependently => true;

    public void Dispose()
    {
        _zip?.Dispose();
        _zip = null;
    }

    private void Flatten(object? value, string prefix, int depth)
    {
        if (depth > MaxNesting) throw new ModelFormatException(_path, null, $"dicts are nested more than {MaxNesting} deep.");
        switch (value)
        {
            case TorchTensor tensor:
                if (prefix.Length == 0) throw new ModelFormatException(_path, null, "holds a single tensor, not a state dict; save a dict of named tensors.");
                _tensors.Add((prefix, tensor));
                break;
            case PickleDict dict:
                foreach (var (key, item) in dict.Items)
                {
                    string name = key switch
                    {
                        string s => s,
                        long n => n.ToString(System.Globalization.CultureInfo.InvariantCulture),
                        _ => throw new ModelFormatException(_path, prefix.Length == 0 ? null : prefix, "dict key is neither a string nor an integer."),
                    };
                    Flatten(item, prefix.Length == 0 ? name : prefix + "." + name, depth + 1);
                }
                break;
        }
        if (depth == 0 && _tensors.Count == 0 && value is not PickleDict)
            throw new ModelFormatException(_path, null, "pickle holds no dict of tensors (is it a state dict?).");
        if (depth == 0 && _tensors.Select(t => t.Name).Distinct(StringComparer.Ordinal).Count() != _tensors.Count)
            throw new ModelFormatException(_path, _tensors.GroupBy(t => t.Name).First(g => g.Count() > 1).Key, "tensor name appears twice.");
    }

    /// <summary>The view must lie inside its storage, and the storage entry must hold exactly numel elements.</summary>
    private void Validate(string name, TorchTensor t)
    {
        if (t.Size.Length != t.Stride.Length) throw new ModelFormatException(_path, name, $"has {t.Size.Length} sizes but {t.Stride.Length} strides.");
        if (t.StorageOffset < 0 || t.Size.Any(s => s < 0) || t.Stride.Any(s => s < 0))
            throw new ModelFormatException(_path, name, "has a negative size, stride or storage offset.");
        long elements;
        try
        {
            elements = TensorShape.CheckedElementCount(t.Size);
            if (elements > 0)
            {
                long last = t.StorageOffset;
                for (int i = 0; i < t.Size.Length; i++) last = checked(last + (t.Size[i] - 1) * t.Stride[i]);
                if (last >= t.Storage.ElementCount)
                    throw new ModelFormatException(_path, name, $"view (offset {t.StorageOffset}, size [{string.Join(", ", t.Size)}], stride [{string.Join(", ", t.Stride)}]) reaches element {last} of a storage of {t.Storage.ElementCount}.");
            }
        }
        catch (OverflowException)
        {
            throw new ModelFormatException(_path, name, $"shape [{string.Join(", ", t.Size)}] or its strides overflow 64 bits.");
        }
        var entry = _zip!.GetEntry(_prefix + "data/" + t.Storage.Key)
            ?? throw new ModelFormatException(_path, name, $"storage '{t.Storage.Key}' has no entry '{_prefix}data/{t.Storage.Key}' in the archive.");
        if (t.Storage.ElementCount > long.MaxValue / t.Storage.Type.ElementSize || entry.Length != t.Storage.ElementCount * t.Storage.Type.ElementSize)
            throw new ModelFormatException(_path, name, $"storage '{t.Storage.Key}' holds {entry.Length} bytes, not {t.Storage.ElementCount} x {t.Storage.Type.ElementSize}.");
    }

    private torch.Tensor Load(string name, TorchTensor t, torch.Device device, torch.ScalarType computeType)
    {
        TorchStorageType type = t.Storage.Type;
        if (type.DType == TensorDType.Unsupported) throw new ModelFormatException(_path, name, $"dtype {type.DTypeName} is not decoded.");
        long elements = t.Size.Aggregate(1L, (a, b) => a * b);
        if (elements == 0) return TensorData.ToTensor(ReadOnlySpan<byte>.Empty, type.DType, t.Size, computeType, device);
        long first = t.StorageOffset, last = first;
        for (int i = 0; i < t.Size.Length; i++) last += (t.Size[i] - 1) * t.Stride[i];
        long spanBytes = (last - first + 1) * type.ElementSize;
        if (spanBytes > int.MaxValue || elements * type.ElementSize > int.MaxValue)
            throw new ModelFormatException(_path, name, $"tensor spans {spanBytes} bytes; tensors above 2 GiB are not supported.");
        try
        {
            // Reopened when a sharded source has closed this shard before its entries are loaded.
            _zip ??= ZipFile.OpenRead(_path);
            var entry = _zip.GetEntry(_prefix + "data/" + t.Storage.Key)
                ?? throw new ModelFormatException(_path, name, $"storage '{t.Storage.Key}' is no longer in the archive.");
            byte[] span = ReadRange(entry, first * type.ElementSize, (int)spanBytes);
            byte[] bytes = IsContiguous(t) ? span : Gather(span, t, elements, type.ElementSize);
            return TensorData.ToTensor(bytes, type.DType, t.Size, computeType, device);
        }
        catch (Exception e) when (e is IOException or InvalidDataException)
        {
            throw new ModelFormatException(_path, name, $"storage '{t.Storage.Key}' cannot be read: {e.Message}", e);
        }
    }

    private static bool IsContiguous(TorchTensor t)
    {
        long expected = 1;
        for (int i = t.Size.Length - 1; i >= 0; i--)
        {
            if (t.Size[i] != 1 && t.Stride[i] != expected) return false;
            expected *= t.Size[i];
        }
        return true;
    }

    /// <summary>Copies a strided view (elements relative to its first) into row-major order.</summary>
    private static byte[] Gather(byte[] span, TorchTensor t, long elements, int size)
    {
        var result = new byte[elements * size];
        var index = new long[t.Size.Length];
        long source = 0;
        for (long n = 0; n < elements; n++)
        {
            Buffer.BlockCopy(span, (int)(source * size), result, (int)(n * size), size);
            for (int d = t.Size.Length - 1; d >= 0; d--)
            {
                if (++index[d] < t.Size[d]) { source += t.Stride[d]; break; }
                source -= (t.Size[d] - 1) * t.Stride[d];
                index[d] = 0;
            }
        }
        return result;
    }

    private static byte[] ReadRange(ZipArchiveEntry entry, long offset, int count)
    {
        using var stream = entry.Open();
        if (stream.CanSeek) stream.Seek(offset, SeekOrigin.Begin);
        else
        {
            var skip = new byte[Math.Min(offset, 1 << 20)];
            for (long left = offset; left > 0;) left -= ReadSome(stream, skip, (int)Math.Min(left, skip.Length));
        }
        var buffer = new byte[count];
        stream.ReadExactly(buffer);
        return buffer;
    }

    private static int ReadSome(Stream stream, byte[] buffer, int count)
    {
        int read = stream.Read(buffer, 0, count);
        return read > 0 ? read : throw new EndOfStreamException("storage entry ends early.");
    }

    private static byte[] ReadAll(ZipArchiveEntry entry, int length)
    {
        using var stream = entry.Open();
        var buffer = new byte[length];
        stream.ReadExactly(buffer);
        return buffer;
    }

    private static string ReadText(ZipArchiveEntry entry) =>
        entry.Length > 16 ? "" : System.Text.Encoding.ASCII.GetString(ReadAll(entry, (int)entry.Length)).Trim();

    private sealed class Entry(PyTorchCheckpointSource owner, string name, TorchTensor tensor)
        : TensorEntry(name, tensor.Size, tensor.Storage.Type.DType, tensor.Storage.Type.DTypeName)
    {
        public override torch.Tensor Load(torch.Device device, torch.ScalarType computeType) => owner.Load(Name, tensor, device, computeType);
    }
}
