using System.IO.MemoryMappedFiles;
using SpectralGate.Engine.Errors;
using SpectralGate.Engine.Sources.Quantized;
using TorchSharp;

namespace SpectralGate.Engine.Sources.Safetensors;

/// <summary>
/// One <c>.safetensors</c> file. The header is read and validated when the source opens; tensor data is read from a
/// read-only memory map when an entry is loaded, so only the tensor being analysed is ever in memory. A quantized
/// checkpoint (<see cref="QuantizedCheckpoint"/>: a quantization config beside it, or tensors named or typed as a
/// quantization's) yields each quantized weight decoded under its own name, its parameters marked as such.
/// </summary>
public sealed class SafetensorsFileSource : ITensorSource
{
    private readonly string _path;
    private readonly IReadOnlyList<SafetensorsTensorInfo> _tensors;
    private readonly long _dataStart;
    private readonly long _fileLength;
    private readonly QuantizedCheckpoint? _quantized;
    private MemoryMappedFile? _map;

    public SafetensorsFileSource(string path) : this(path, recogniseQuantization: true)
    {
    }

    /// <param name="path">The file.</param>
    /// <param name="recogniseQuantization">False for a shard, whose sharded checkpoint recognises quantized weights across shards.</param>
    internal SafetensorsFileSource(string path, bool recogniseQuantization)
    {
        _path = path;
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
            _fileLength = stream.Length;
            (_tensors, _dataStart) = SafetensorsHeader.Read(path, stream);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ModelFormatException(path, null, e is FileNotFoundException or DirectoryNotFoundException ? "file not found." : $"cannot be read: {e.Message}", e);
        }
        if (!recogniseQuantization) return;
        var layout = QuantizationLayout.Find(Path.GetDirectoryName(Path.GetFullPath(path))!);
        if (QuantizedCheckpoint.IsWorthRecognising(layout, _tensors.Select(t => (t.Name, t.StoredDType))))
            _quantized = QuantizedCheckpoint.Recognise(path, layout, StoredTensors().ToList());
    }

    public string Description => _path;

    public string Format => "safetensors";

    public IEnumerable<TensorEntry> Tensors => _quantized is null ? PlainTensors : _quantized.Arrange(PlainTensors);

    /// <summary>The tensors as stored, before quantized weights are put together.</summary>
    internal IEnumerable<TensorEntry> PlainTensors => _tensors.Select(t => (TensorEntry)new Entry(this, t));

    /// <summary>The tensors as stored, raw, for quantized-weight decoders.</summary>
    internal IEnumerable<StoredTensor> StoredTensors() =>
        _tensors.Select(t => new StoredTensor(_path, t.Name, t.StoredDType, t.Shape, t.End - t.Begin, () => ReadBytes(t)));

    public string ComputeSha256() => FileSha256.Of(_path);


    public bool HashesFilesIndependently => true;

    /// <summary>Feeds this file's bytes into a running hash (for sharded checkpoints).</summary>
    public void Dispose()
    {
        _map?.Dispose();
        _map = null;
    }

    private byte[] ReadBytes(SafetensorsTensorInfo info)
    {
        long length = info.End - info.Begin;
        var bytes = new byte[length];
        if (length == 0) return bytes;
        try
        {
            _map ??= MemoryMappedFile.CreateFromFile(_path, FileMode.Open, null, 0, MemoryMappedFileAccess.Read);
            using var view = _map.CreateViewAccessor(_dataStart + info.Begin, length, MemoryMappedFileAccess.Read);
            view.ReadArray(0, bytes, 0, bytes.Length);
            return bytes;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ModelFormatException(_path, info.Name, $"data cannot be read: {e.Message}", e);
        }
    }

    private unsafe torch.Tensor Load(SafetensorsTensorInfo info, long[] shape, TensorDType dtype, torch.Device device, torch.ScalarType computeType)
    {
        long length = info.End - info.Begin;
        try
        {
            _map ??= MemoryMappedFile.CreateFromFile(_path, FileMode.Open, null, 0, MemoryMappedFileAccess.Read);
            if (length == 0) return TensorData.ToTensor(ReadOnlySpan<byte>.Empty, dtype, shape, computeType, device);
            using var view = _map.CreateViewAccessor(_dataStart + info.Begin, length, MemoryMappedFileAccess.Read);
            byte* pointer = null;
            view.SafeMemoryMappedViewHandle.AcquirePointer(ref pointer);
            try
            {
                byte* start = pointer + view.PointerOffset;
                // A span covers at most 2 GiB: larger tensors (a 70B model's embedding) are copied in chunks.
                return length <= int.MaxValue
                    ? TensorData.ToTensor(new ReadOnlySpan<byte>(start, (int)length), dtype, shape, computeType, device)
                    : ChunkedTensorData.ToTensor(start, length, dtype, shape, computeType, device);
            }
            finally
            {
                view.SafeMemoryMappedViewHandle.ReleasePointer();
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ModelFormatException(_path, info.Name, $"data cannot be read: {e.Message}", e);
        }
    }

    private sealed class Entry(SafetensorsFileSource owner, SafetensorsTensorInfo info)
        : TensorEntry(info.Name, info.Shape, info.DType, info.StoredDType)
    {
        public override torch.Tensor Load(torch.Device device, torch.ScalarType computeType) =>
            owner.Load(info, Shape, DType, device, computeType);
    }
}
