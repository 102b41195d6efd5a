namespace SpectralGate.Engine.Sources.Quantized;

/// <summary>
/// MLX affine quantization (mlx-lm; <c>mlx.core.quantize</c>/<c>dequantize</c>, mlx/backend/cpu/quantized.cpp): a U32
/// weight <c>[rows, cols·bits/32]</c> whose words, little-endian, form one bit stream per row (code k at bits
/// k·bits .. k·bits+bits−1, so 3-, 5- and 6-bit codes straddle words); w = scale·q + bias per group of
/// <c>group_size</c> columns, each operation in the scales' dtype as MLX's <c>scale * static_cast&lt;T&gt;(q) + bias</c>.
/// </summary>
public static class MlxDequantizer
{
    public static readonly IReadOnlyList<int> Bits = [2, 3, 4, 5, 6, 8];
    public static readonly IReadOnlyList<int> GroupSizes = [32, 64, 128];

    public static void Decode(ReadOnlySpan<byte> packed, ReadOnlySpan<float> scales, ReadOnlySpan<float> biases, int rows, int cols, int bits, int groupSize, Span<float> destination, TensorDType store)
    {
        if (!Bits.Contains(bits)) throw new ArgumentException($"bits {bits} is not one MLX writes ({string.Join(", ", Bits)}).");
        if (!GroupSizes.Contains(groupSize)) throw new ArgumentException($"group_size {groupSize} is not one MLX writes ({string.Join(", ", GroupSizes)}).");
        if (rows <= 0 || cols <= 0 || cols % groupSize != 0) throw new ArgumentException($"rows of {cols} values are not a whole number of groups of {groupSize}.");
        long rowBytes = (long)cols * bits / 8;
        if (packed.Length != rows * rowBytes)
            throw new ArgumentException($"packed weight has {packed.Length} bytes; [{rows}, {cols}] at {bits} bits needs {rows * rowBytes} ([{rows}, {cols * bits / 32}] U32).");
        long groups = (long)rows * (cols / groupSize);
        if (scales.Length != groups) throw new ArgumentException($"scales have {scales.Length} values; [{rows}, {cols}] in groups of {groupSize} needs {groups}.");
        if (biases.Length != groups) throw new ArgumentException($"biases have {biases.Length} values; [{rows}, {cols}] in groups of {groupSize} needs {groups}.");
        if (destination.Length != (long)rows * cols) throw new ArgumentException($"destination holds {destination.Length} values, not {(long)rows * cols}.");
        int mask = (1 << bits) - 1;
        for (int r = 0; r < rows; r++)
        {
            ReadOnlySpan<byte> row = packed.Slice((int)(r * rowBytes), (int)rowBytes);
            for (int k = 0; k < cols; k++)
            {
                long bit = (long)k * bits;
                int at = (int)(bit >> 3);
                // Two bytes hold any code of up to 8 bits starting anywhere in the first.
                int window = row[at] | (at + 1 < row.Length ? row[at + 1] << 8 : 0);
                int q = (window >> (int)(bit & 7)) & mask;
                int g = r * (cols / groupSize) + k / groupSize;
                destination[r * cols + k] = QuantizedValues.Round(QuantizedValues.Round(scales[g] * q, store) + biases[g], store);
            }
        }
    }
}
