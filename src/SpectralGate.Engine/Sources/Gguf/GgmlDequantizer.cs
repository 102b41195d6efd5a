using System.Buffers.Binary;

namespace SpectralGate.Engine.Sources.Gguf;

/// <summary>
/// ggml's block formats turned into floats, operation for operation as ggml's reference <c>dequantize_row_*</c>
/// (ggml/src/ggml-quants.c) does, in float arithmetic in the same order, so every value is bit-identical to ggml's.
/// </summary>
public static class GgmlDequantizer
{
    private const int QK = 32;
    private const int QKK = 256;

    /// <summary>
    /// Decodes <paramref name="source"/> (whole blocks of <paramref name="type"/>) into <paramref name="destination"/>,
    /// whose length is the element count. Throws <see cref="ArgumentException"/> when the sizes disagree or the type
    /// is not decoded.
    /// </summary>
    public static void Dequantize(GgmlType type, ReadOnlySpan<byte> source, Span<float> destination)
    {
        if (!type.Decoded || type.Name == "F64") throw new ArgumentException($"ggml type {type.Name} is not dequantized here.", nameof(type));
        if (destination.Length % type.BlockSize != 0 || (long)destination.Length / type.BlockSize * type.TypeSize != source.Length)
            throw new ArgumentException($"{source.Length} bytes of {type.Name} do not hold {destination.Length} values.", nameof(source));
        int blocks = destination.Length / type.BlockSize;
        for (int i = 0; i < blocks; i++)
        {
            ReadOnlySpan<byte> b = source.Slice(i * type.TypeSize, type.TypeSize);
            Span<float> y = destination.Slice(i * type.BlockSize, type.BlockSize);
            switch (type.Name)
            {
                case "F32": y[0] = BinaryPrimitives.ReadSingleLittleEndian(b); break;
                case "F16": y[0] = Half(b); break;
                case "BF16": y[0] = TensorData.BFloat16ToSingle(BinaryPrimitives.ReadUInt16LittleEndian(b)); break;
                case "Q4_0": Q4_0(b, y); break;
                case "Q4_1": Q4_1(b, y); break;
                case "Q5_0": Q5_0(b, y); break;
                case "Q5_1": Q5_1(b, y); break;
                case "Q8_0": Q8_0(b, y); break;
                case "Q2_K": Q2_K(b, y); break;
                case "Q3_K": Q3_K(b, y); break;
                case "Q4_K": Q4_K(b, y); break;
                case "Q5_K": Q5_K(b, y); break;
                case "Q6_K": Q6_K(b, y); break;
                default: throw new ArgumentException($"ggml type {type.Name} is not dequantized here.", nameof(type));
            }
        }
    }

    /// <summary>GGML_FP16_TO_FP32: IEEE half to float, exact.</summary>
    private static float Half(ReadOnlySpan<byte> b) => (float)BinaryPrimitives.ReadHalfLittleEndian(b);

    // block_q4_0 { half d; u8 qs[16]; }
    private static void Q4_0(ReadOnlySpan<byte> b, Span<float> y)
    {
        float d = Half(b);
        ReadOnlySpan<byte> qs = b[2..];
        for (int j = 0; j < QK / 2; j++)
        {
            int x0 = (qs[j] & 0x0F) - 8;
            int x1 = (qs[j] >> 4) - 8;
            y[j] = x0 * d;
            y[j + QK / 2] = x1 * d;
        }
    }

    // block_q4_1 { half d; half m; u8 qs[16]; }
    private static void Q4_1(ReadOnlySpan<byte> b, Span<float> y)
    {
        float d = Half(b), m = Half(b[2..]);
        ReadOnlySpan<byte> qs = b[4..];
        for (int j = 0; j < QK / 2; j++)
        {
            int x0 = qs[j] & 0x0F;
            int x1 = qs[j] >> 4;
            y[j] = x0 * d + m;
            y[j + QK / 2] = x1 * d + m;
        }
    }

    // block_q5_0 { half d; u8 qh[4]; u8 qs[16]; }
    private static void Q5_0(ReadOnlySpan<byte> b, Span<float> y)
    {
        float d = Half(b);
        uint qh = BinaryPrimitives.ReadUInt32LittleEndian(b[2..]);
        ReadOnlySpan<byte> qs = b[6..];
        for (int j = 0; j < QK / 2; j++)
        {
            int xh0 = (int)((qh >> j) << 4) & 0x10;
            int xh1 = (int)(qh >> (j + 12)) & 0x10;
            int x0 = ((qs[j] & 0x0F) | xh0) - 16;
            int x1 = ((qs[j] >> 4) | xh1) - 16;
            y[j] = x0 * d;
            y[j + QK / 2] = x1 * d;
        }
    }

    // block_q5_1 { half d; half m; u8 qh[4]; u8 qs[16]; }
    private static void Q5_1(ReadOnlySpan<byte> b, Span<float> y)
    {
        float d = Half(b), m = Half(b[2..]);
        uint qh = BinaryPrimitives.ReadUInt32LittleEndian(b[4..]);
        ReadOnlySpan<byte> qs = b[8..];
        for (int j = 0; j < QK / 2; j++)
        {
            int xh0 = (int)((qh >> j) << 4) & 0x10;
            int xh1 = (int)(qh >> (j + 12)) & 0x10;
            int x0 = (qs[j] & 0x0F) | xh0;
            int x1 = (qs[j] >> 4) | xh1;
            y[j] = x0 * d + m;
            y[j + QK / 2] = x1 * d + m;
        }
    }

    // block_q8_0 { half d; i8 qs[32]; }
    private static void Q8_0(ReadOnlySpan<byte> b, Span<float> y)
    {
        float d = Half(b);
        for (int j = 0; j < QK; j++) y[j] = (sbyte)b[2 + j] * d;
    }

    // block_q2_K { u8 scales[16]; u8 qs[64]; half d; half dmin; }
    private static void Q2_K(ReadOnlySpan<byte> b, Span<float> y)
    {
        ReadOnlySpan<byte> scales = b[..16];
        float d = Half(b[80..]), min = Half(b[82..]);
        int q = 16, k = 0, scale = 0;
        for (int n = 0; n < QKK; n += 128)
        {
            int shift = 0;
            for (int j = 0; j < 4; j++)
            {
                for (int half = 0; half < 2; half++)
                {
                    byte sc = scales[scale++];
                    float dl = d * (sc & 0xF), ml = min * (sc >> 4);
                    for (int l = 0; l < 16; l++) y[k++] = dl * ((b[q + l + 16 * half] >> shift) & 3) - ml;
                }
                shift += 2;
            }
            q += 32;
        }
    }

    // block_q3_K { u8 hmask[32]; u8 qs[64]; u8 scales[12]; half d; }
    private static void Q3_K(ReadOnlySpan<byte> b, Span<float> y)
    {
        const uint kmask1 = 0x03030303, kmask2 = 0x0f0f0f0f;
        float dAll = Half(b[108..]);
        uint a0 = BinaryPrimitives.ReadUInt32LittleEndian(b[96..]);
        uint a1 = BinaryPrimitives.ReadUInt32LittleEndian(b[100..]);
        uint tmp = BinaryPrimitives.ReadUInt32LittleEndian(b[104..]);
        Span<uint> aux =
        [
            (a0 & kmask2) | (((tmp >> 0) & kmask1) << 4),
            (a1 & kmask2) | (((tmp >> 2) & kmask1) << 4),
            ((a0 >> 4) & kmask2) | (((tmp >> 4) & kmask1) << 4),
            ((a1 >> 4) & kmask2) | (((tmp >> 6) & kmask1) << 4),
        ];
        Span<sbyte> scales = stackalloc sbyte[16];
        for (int s = 0; s < 16; s++) scales[s] = (sbyte)(aux[s / 4] >> (8 * (s % 4)));

        int q = 32, k = 0, scale = 0;
        byte m = 1;
        for (int n = 0; n < QKK; n += 128)
        {
            int shift = 0;
            for (int j = 0; j < 4; j++)
            {
                for (int half = 0; half < 2; half++)
                {
                    float dl = dAll * (scales[scale++] - 32);
                    for (int l = 0; l < 16; l++)
                    {
                        int o = l + 16 * half;
                        y[k++] = dl * (((b[q + o] >> shift) & 3) - ((b[o] & m) != 0 ? 0 : 4));
                    }
                }
                shift += 2;
                m <<= 1;
            }
            q += 32;
        }
    }

    /// <summary>ggml's get_scale_min_k4: the 6-bit scale and min of sub-block <paramref name="j"/> of a Q4_K/Q5_K block.</summary>
    private static (int Scale, int Min) ScaleMinK4(int j, ReadOnlySpan<byte> q)
    {
        if (j < 4) return (q[j] & 63, q[j + 4] & 63);
        return ((q[j + 4] & 0xF) | ((q[j - 4] >> 6) << 4), (q[j + 4] >> 4) | ((q[j] >> 6) << 4));
    }

    // block_q4_K { half d; half dmin; u8 scales[12]; u8 qs[128]; }
    private static void Q4_K(ReadOnlySpan<byte> b, Span<float> y)
    {
        float d = Half(b), min = Half(b[2..]);
        ReadOnlySpan<byte> scales = b.Slice(4, 12);
        int q = 16, k = 0, scale = 0;
        for (int j = 0; j < QKK; j += 64)
        {
            var (sc1, m1i) = ScaleMinK4(scale, scales);
            float d1 = d * sc1, m1 = min * m1i;
            var (sc2, m2i) = ScaleMinK4(scale + 1, scales);
            float d2 = d * sc2, m2 = min * m2i;
            for (int l = 0; l < 32; l++) y[k++] = d1 * (b[q + l] & 0xF) - m1;
            for (int l = 0; l < 32; l++) y[k++] = d2 * (b[q + l] >> 4) - m2;
            q += 32;
            scale += 2;
        }
    }

    // block_q5_K { half d; half dmin; u8 scales[12]; u8 qh[32]; u8 qs[128]; }
    private static void Q5_K(ReadOnlySpan<byte> b, Span<float> y)
    {
        float d = Half(b), min = Half(b[2..]);
        ReadOnlySpan<byte> scales = b.Slice(4, 12), qh = b.Slice(16, 32);
        int ql = 48, k = 0, scale = 0;
        int u1 = 1, u2 = 2;
        for (int j = 0; j < QKK; j += 64)
        {
            var (sc1, m1i) = ScaleMinK4(scale, scales);
            float d1 = d * sc1, m1 = min * m1i;
            var (sc2, m2i) = ScaleMinK4(scale + 1, scales);
            float d2 = d * sc2, m2 = min * m2i;
            for (int l = 0; l < 32; l++) y[k++] = d1 * ((b[ql + l] & 0xF) + ((qh[l] & u1) != 0 ? 16 : 0)) - m1;
            for (int l = 0; l < 32; l++) y[k++] = d2 * ((b[ql + l] >> 4) + ((qh[l] & u2) != 0 ? 16 : 0)) - m2;
            ql += 32;
            scale += 2;
            u1 <<= 2;
            u2 <<= 2;
        }
    }

    // block_q6_K { u8 ql[128]; u8 qh[64]; i8 scales[16]; half d; }
    private static void Q6_K(ReadOnlySpan<byte> b, Span<float> y)
    {
        float d = Half(b[208..]);
        int ql = 0, qh = 128, sc = 192, k = 0;
        for (int n = 0; n < QKK; n += 128)
        {
            for (int l = 0; l < 32; l++)
            {
                int s = l / 16;
                int q1 = (sbyte)((b[ql + l] & 0xF) | (((b[qh + l] >> 0) & 3) << 4)) - 32;
                int q2 = (sbyte)((b[ql + l + 32] & 0xF) | (((b[qh + l] >> 2) & 3) << 4)) - 32;
                int q3 = (sbyte)((b[ql + l] >> 4) | (((b[qh + l] >> 4) & 3) << 4)) - 32;
                int q4 = (sbyte)((b[ql + l + 32] >> 4) | (((b[qh + l] >> 6) & 3) << 4)) - 32;
                y[k + l] = d * (sbyte)b[sc + s] * q1;
                y[k + l + 32] = d * (sbyte)b[sc + s + 2] * q2;
                y[k + l + 64] = d * (sbyte)b[sc + s + 4] * q3;
                y[k + l + 96] = d * (sbyte)b[sc + s + 6] * q4;
            }
            k += 128;
            ql += 64;
            qh += 32;
            sc += 8;
        }
    }
}
