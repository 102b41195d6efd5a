using System.IO.MemoryMappedFiles;
using System.Runtime.InteropServices;
using SpectralGate.Engine.Errors;
using TorchSharp;

namespace SpectralGate.Engine.Sources.Gguf;

/// <summary>
/// A <c>.gguf</c> file (llama.cpp, LLamaSharp). The header is validated when the source opens; each tensor is read
/// from a read-only memory map and dequantized when its entry is loaded. Quantized tensors are analysed as the floats
/// ggml would compute with; types not decoded (I-quants, integers) are listed as skipped. Llama-family tensor names
/// are given their Hugging Face names (<see cref="GgufNameMap"/>), and llama q/k rows their Hugging Face order
/// (<see cref="LlamaRopeOrder"/>), so a GGUF compares layer by layer, and value by value, with its source.
/// </summary>
public sealed class GgufModelSource : ITensorSource
{
    private readonly string _path;
    private MemoryMappedFile? _map;

    public GgufModelSource(string path)
    {
        _path = path;
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
            Header = GgufHeader.Read(path, stream);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ModelFormatException(path, null, e is FileNotFoundException or DirectoryNotFoundException ? "file not found." : $"cannot be read: {e.Message}", e);
        }
    }

    public GgufHeader Header { get; }

    public string Description => _path;

    public string Format => "gguf";

    public IEnumerable<TensorEntry> Tensors => Header.Tensors.Select(t => (TensorEntry)new Entry(this, t, GgufNameMap.ToHuggingFace(t.Name, Header.Architecture)));

    public string ComputeSha256() => FileSha256.Of(_path);


    public bool HashesFilesIndependently => true;

    public void Dispose()
    {
        _map?.Dispose();
        _map = null;
    }

    private static TensorDType DTypeOf(GgmlType type) => type.Name switch
    {
        "F64" => TensorDType.Float64,
        "F16" => TensorDType.Float16,
        "BF16" => TensorDType.BFloat16,
        _ => type.Decoded ? TensorDType.Float32 : TensorDType.Unsupported,
    };

    private unsafe torch.Tensor Load(GgufTensorInfo info, string name, torch.Device device, torch.ScalarType computeType)
    {
        TensorDType dtype = DTypeOf(info.Type);
        if (dtype == TensorDType.Unsupported) throw new ModelFormatException(_path, name, $"ggml type {info.Type.Name} is not decoded.");
        long elements = info.Shape.Aggregate(1L, (a, b) => a * b);
        bool quantized = info.Type.BlockSize > 1;
        if (info.ByteCount > int.MaxValue || (quantized && elements > Array.MaxLength))
            throw new ModelFormatException(_path, name, $"tensor is {info.ByteCount} bytes; tensors above 2 GiB are not supported.");
        try
        {
            _map ??= MemoryMappedFile.CreateFromFile(_path, FileMode.Open, null, 0, MemoryMappedFileAccess.Read);
            if (info.ByteCount == 0) return TensorData.ToTensor(ReadOnlySpan<byte>.Empty, dtype, info.Shape, computeType, device);
            using var view = _map.CreateViewAccessor(info.Offset, info.ByteCount, MemoryMappedFileAccess.Read);
            byte* pointer = null;
            view.SafeMemoryMappedViewHandle.AcquirePointer(ref pointer);
            try
            {
                var bytes = new ReadOnlySpan<byte>(pointer + view.PointerOffset, (int)info.ByteCount);
                if (!quantized) return TensorData.ToTensor(bytes, dtype, info.Shape, computeType, device);
                var values = new float[elements];
                GgmlDequantizer.Dequantize(info.Type, bytes, values);
                return TensorData.ToTensor(MemoryMarshal.AsBytes(values.AsSpan()), TensorDType.Float32, info.Shape, computeType, device);
            }
            finally
            {
                view.SafeMemoryMappedViewHandle.ReleasePointer();
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ModelFormatException(_path, name, $"data cannot be read: {e.Message}", e);
        }
    }

    private sealed class Entry(GgufModelSource owner, GgufTensorInfo info, string name)
        : TensorEntry(name, info.Shape, DTypeOf(info.Type), info.Type.Name)
    {
        public override torch.Tensor Load(torch.Device device, torch.ScalarType computeType)
        {
            torch.Tensor weight = owner.Load(info, Name, device, computeType);
            if (LlamaRopeOrder.PermutedHeads(info.Name, owner.Header) is not long heads || !LlamaRopeOrder.Fits(info.Shape, heads)) return weight;
            using (weight) return LlamaRopeOrder.ToHuggingFace(weight, heads);
        }
    }
}
