using TorchSharp;

namespace SpectralGate.Engine.Sources;

/// <summary>
/// Copies stored bytes of any length (a 70B model's embedding is over 2 GiB) into a tensor in chunks, so that no
/// span, array or <c>int</c> length ever holds the whole.
/// </summary>
public static class ChunkedTensorData
{
    /// <summary>Bytes per copy: far below the 2 GiB a span can cover, large enough that the loop costs nothing.</summary>
    public const int DefaultChunkBytes = 1 << 28;

    /// <summary>The same copy from a span (under 2 GiB by nature), in chunks of <paramref name="chunkBytes"/>.</summary>
    public static unsafe torch.Tensor ToTensor(ReadOnlySpan<byte> bytes, TensorDType dtype, long[] shape, torch.ScalarType computeType,
        torch.Device device, int chunkBytes)
    {
        fixed (byte* data = bytes) return ToTensor(data, bytes.Length, dtype, shape, computeType, device, chunkBytes);
    }

    /// <summary>
    /// The little-endian <paramref name="length"/> bytes at <paramref name="data"/>, of <paramref name="dtype"/> and
    /// <paramref name="shape"/>, as a tensor of <paramref name="computeType"/> on <paramref name="device"/>.
    /// </summary>
    public static unsafe torch.Tensor ToTensor(byte* data, long length, TensorDType dtype, long[] shape, torch.ScalarType computeType,
        torch.Device device, int chunkBytes = DefaultChunkBytes)
    {
        if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException("tensors are copied in chunks on little-endian machines only.");
        int size = dtype.Size();
        if (size == 0) throw new ArgumentException($"dtype {dtype} cannot be decoded.", nameof(dtype));
        long count = TensorShape.CheckedElementCount(shape);
        if (length != count * size)
            throw new ArgumentException($"expected {count * size} bytes for shape [{string.Join(", ", shape)}] of {dtype}, got {length}.", nameof(length));
        ArgumentOutOfRangeException.ThrowIfLessThan(chunkBytes, size);

        using var stored = torch.empty([count], TensorData.StoredType(dtype));
        long perChunk = chunkBytes / size;
        for (long start = 0; start < count; start += perChunk)
        {
            long n = Math.Min(perChunk, count - start);
            using var part = stored.narrow(0, start, n);
            part.bytes = new Span<byte>(data + start * size, checked((int)(n * size)));
        }
        using var shaped = stored.reshape(shape);
        return shaped.to(computeType, device);
    }
}
