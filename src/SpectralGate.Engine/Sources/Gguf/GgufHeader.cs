using System.Buffers.Binary;
using System.Text;
using SpectralGate.Engine.Errors;

namespace SpectralGate.Engine.Sources.Gguf;

/// <summary>
/// Parses and validates a GGUF header (v2, v3) the way ggml's reader (ggml/src/gguf.cpp, <c>gguf_init_from_file_impl</c>)
/// does: counts and lengths bounded by the bytes left, no duplicate keys or tensor names, names under 64 bytes,
/// at most 4 dimensions, no negative or overflowing ones, rows a whole number of blocks, a power-of-two
/// <c>general.alignment</c>, and each tensor at exactly the aligned offset after the previous one.
/// </summary>
public sealed class GgufHeader
{
    public const uint Magic = 0x46554747; // "GGUF" little-endian
    public const uint DefaultAlignment = 32;

    /// <summary>ggml's GGML_MAX_NAME (64, including the terminating NUL).</summary>
    public const int MaxNameBytes = 63;

    public const int MaxDimensions = 4;

    private GgufHeader(uint version, IReadOnlyDictionary<string, object?> metadata, IReadOnlyList<GgufTensorInfo> tensors, long dataOffset, uint alignment)
    {
        Version = version;
        Metadata = metadata;
        Tensors = tensors;
        DataOffset = dataOffset;
        Alignment = alignment;
    }

    public uint Version { get; }

    /// <summary>Scalar and string values by key; arrays are validated and skipped (their value is the element count).</summary>
    public IReadOnlyDictionary<string, object?> Metadata { get; }

    public IReadOnlyList<GgufTensorInfo> Tensors { get; }

    public long DataOffset { get; }

    public uint Alignment { get; }

    /// <summary><c>general.architecture</c> (<c>llama</c>, <c>qwen2</c>, ...), or null.</summary>
    public string? Architecture => Metadata.GetValueOrDefault("general.architecture") as string;

    public static GgufHeader Read(string path, Stream stream)
    {
        var r = new Reader(path, stream);
        uint magic = r.U32("magic");
        if (magic != Magic) throw new ModelFormatException(path, null, "is not a GGUF file (no 'GGUF' magic).");
        uint version = r.U32("version");
        if (version == 1) throw new ModelFormatException(path, null, "is GGUF version 1, which ggml no longer reads; convert it again with a current llama.cpp.");
        if (version is not (2 or 3))
            throw new ModelFormatException(path, null, BinaryPrimitives.ReverseEndianness(version) is 2 or 3
                ? "is a big-endian GGUF file; only little-endian GGUF is read."
                : $"has GGUF version {version}; versions 2 and 3 are read.");

        long tensorCount = r.Count("tensor count", 8 + 4 + 4 + 8);
        long kvCount = r.Count("metadata count", 8 + 4 + 1);

        var metadata = new Dictionary<string, object?>(StringComparer.Ordinal);
        for (long i = 0; i < kvCount; i++)
        {
            string key = r.String("metadata key");
            if (key.Length == 0) throw new ModelFormatException(path, null, $"metadata key {i} is empty.");
            if (metadata.ContainsKey(key)) throw new ModelFormatException(path, null, $"duplicate metadata key '{key}'.");
            metadata[key] = r.Value(key, r.U32(key), topLevel: true);
        }

        uint alignment = DefaultAlignment;
        if (metadata.TryGetValue("general.alignment", out var a))
        {
            if (a is not uint u) throw new ModelFormatException(path, null, "general.alignment is not a UINT32.");
            if (u == 0 || (u & (u - 1)) != 0) throw new ModelFormatException(path, null, $"general.alignment {u} is not a power of 2.");
            alignment = u;
        }

        var infos = new List<(string Name, long[] Ne, GgmlType Type, ulong Offset, long Bytes)>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (long i = 0; i < tensorCount; i++)
        {
            string name = r.String("tensor name");
            if (Encoding.UTF8.GetByteCount(name) > MaxNameBytes)
                throw new ModelFormatException(path, name, $"tensor name is longer than ggml's {MaxNameBytes} bytes.");
            if (!names.Add(name)) throw new ModelFormatException(path, name, "duplicate tensor name.");
            uint dims = r.U32(name);
            if (dims > MaxDimensions) throw new ModelFormatException(path, name, $"has {dims} dimensions; GGUF allows at most {MaxDimensions}.");
            var ne = new long[dims];
            for (int j = 0; j < dims; j++)
            {
                ne[j] = r.I64(name);
                if (ne[j] < 0) throw new ModelFormatException(path, name, $"dimension {j} is negative ({ne[j]}).");
            }
            long elements;
            try { elements = TensorShape.CheckedElementCount(ne); }
            catch (OverflowException) { throw new ModelFormatException(path, name, $"shape ne=[{string.Join(", ", ne)}] overflows 64 bits."); }
            uint typeId = r.U32(name);
            GgmlType type = GgmlType.FromId(typeId) ?? throw new ModelFormatException(path, name, $"has unknown ggml type {typeId}.");
            long ne0 = dims == 0 ? 1 : ne[0];
            if (ne0 % type.BlockSize != 0)
                throw new ModelFormatException(path, name, $"rows of {ne0} elements are not a whole number of {type.Name} blocks ({type.BlockSize}).");
            long bytes = type.ByteCount(elements) ?? throw new ModelFormatException(path, name, "size in bytes overflows 64 bits.");
            infos.Add((name, ne, type, r.U64(name), bytes));
        }

        long dataOffset = infos.Count == 0 ? r.Position : Align(r.Position, alignment);
        var tensors = new List<GgufTensorInfo>(infos.Count);
        long expected = 0;
        foreach (var (name, ne, type, offset, bytes) in infos)
        {
            if (offset != (ulong)expected)
                throw new ModelFormatException(path, name, $"data offset {offset} is not the expected {expected} (tensors must follow each other, each aligned to {alignment} bytes).");
            if (bytes > r.Length - dataOffset - expected)
                throw new ModelFormatException(path, name, $"data ({bytes} bytes at {dataOffset + expected}) runs past the end of the {r.Length}-byte file (truncated?).");
            tensors.Add(new GgufTensorInfo(name, ne, Enumerable.Reverse(ne).ToArray(), type, dataOffset + expected, bytes));
            expected = Align(expected + bytes, alignment);
        }
        return new GgufHeader(version, metadata, tensors, dataOffset, alignment);
    }

    private static long Align(long offset, uint alignment) => (offset + alignment - 1) / alignment * alignment;

    /// <summary>Little-endian reads that never go past the end nor allocate more than the bytes left.</summary>
    private sealed class Reader(string path, Stream stream)
    {
        public long Length { get; } = stream.Length;

        public long Position => stream.Position;

        private long Left => Length - stream.Position;

        private void Read(Span<byte> buffer, string what)
        {
            if (buffer.Length > Left) throw new ModelFormatException(path, null, $"header ends inside {what} (truncated at byte {Length}).");
            stream.ReadExactly(buffer);
        }

        public uint U32(string what) { Span<byte> b = stackalloc byte[4]; Read(b, what); return BinaryPrimitives.ReadUInt32LittleEndian(b); }

        public ulong U64(string what) { Span<byte> b = stackalloc byte[8]; Read(b, what); return BinaryPrimitives.ReadUInt64LittleEndian(b); }

        public long I64(string what) => (long)U64(what);

        /// <summary>A count of items of at least <paramref name="minItemBytes"/> each, bounded by the bytes left.</summary>
        public long Count(string what, int minItemBytes)
        {
            ulong n = U64(what);
            if (n > (ulong)(Left / minItemBytes))
                throw new ModelFormatException(path, null, $"{what} {n} cannot fit in the {Length}-byte file.");
            return (long)n;
        }

        public string String(string what)
        {
            ulong n = U64(what);
            if (n > (ulong)Left) throw new ModelFormatException(path, null, $"{what}: string of {n} bytes runs past the end of the {Length}-byte file.");
            var bytes = new byte[n];
            Read(bytes, what);
            try { return new UTF8Encoding(false, true).GetString(bytes); }
            catch (DecoderFallbackException) { throw new ModelFormatException(path, null, $"{what} is not valid UTF-8."); }
        }

        private void Skip(long bytes, string what)
        {
            if (bytes > Left) throw new ModelFormatException(path, null, $"metadata '{what}' runs past the end of the {Length}-byte file.");
            stream.Seek(bytes, SeekOrigin.Current);
        }

        // gguf_type: UINT8 0, INT8 1, UINT16 2, INT16 3, UINT32 4, INT32 5, FLOAT32 6, BOOL 7, STRING 8, ARRAY 9, UINT64 10, INT64 11, FLOAT64 12.
        private static int FixedSize(uint type) => type switch
        {
            0 or 1 or 7 => 1,
            2 or 3 => 2,
            4 or 5 or 6 => 4,
            10 or 11 or 12 => 8,
            _ => 0,
        };

        public object? Value(string key, uint type, bool topLevel)
        {
            switch (type)
            {
                case 4: return U32(key);
                case 8: return String(key);
                case 9 when topLevel:
                    uint elementType = U32(key);
                    if (elementType == 9) throw new ModelFormatException(path, null, $"metadata '{key}' is an array of arrays, which GGUF does not allow.");
                    ulong n = U64(key);
                    if (elementType == 8)
                    {
                        if (n > (ulong)(Left / 8)) throw new ModelFormatException(path, null, $"metadata '{key}': {n} strings cannot fit in the file.");
                        for (ulong i = 0; i < n; i++) Skip((long)Math.Min(U64(key), long.MaxValue), key);
                        return (long)n;
                    }
                    int size = FixedSize(elementType);
                    if (size == 0) throw new ModelFormatException(path, null, $"metadata '{key}' has unknown element type {elementType}.");
                    if (n > (ulong)(Left / size)) throw new ModelFormatException(path, null, $"metadata '{key}': {n} elements cannot fit in the file.");
                    Skip((long)n * size, key);
                    return (long)n;
                default:
                    int fixedSize = FixedSize(type);
                    if (fixedSize == 0) throw new ModelFormatException(path, null, $"metadata '{key}' has unknown type {type}.");
                    Span<byte> b = stackalloc byte[8];
                    Read(b[..fixedSize], key);
                    return type switch
                    {
                        0 => b[0], 1 => (sbyte)b[0], 7 => b[0] != 0,
                        2 => BinaryPrimitives.ReadUInt16LittleEndian(b), 3 => BinaryPrimitives.ReadInt16LittleEndian(b),
                        5 => BinaryPrimitives.ReadInt32LittleEndian(b), 6 => BinaryPrimitives.ReadSingleLittleEndian(b),
                        10 => BinaryPrimitives.ReadUInt64LittleEndian(b), 11 => BinaryPrimitives.ReadInt64LittleEndian(b),
                        _ => BinaryPrimitives.ReadDoubleLittleEndian(b),
                    };
            }
        }
    }
}
