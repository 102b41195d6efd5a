using SpectralGate.Engine.Sources;
using System.Text;
using SpectralGate.Engine.Sources.Quantized;
using static SpectralGate.Engine.Tests.Sources.Quantized.QuantizedTestMath;
using static TorchSharp.torch;

namespace SpectralGate.Engine.Tests.Sources.Quantized;

/// <summary>
/// bitsandbytes NF4 (with and without double quantization) and LLM.int8 packed as bitsandbytes' <c>quantize_4bit</c> and
/// <c>int8_vectorwise_quant</c> store them, checked against <c>dequantize_4bit</c> / <c>int8_vectorwise_dequant</c> written
/// here with torch doing the arithmetic and the casts.
/// </summary>
public class BitsAndBytesDequantizerTests
{
    internal const int Rows = 16, Cols = 40, BlockSize = 64; // 640 values in 10 blocks

    // bitsandbytes get_4bit_type("nf4").
    internal static readonly float[] Nf4 =
    [
        -1.0f, -0.6961928009986877f, -0.5250730514526367f, -0.39491748809814453f, -0.28444138169288635f, -0.18477343022823334f,
        -0.09105003625154495f, 0.0f, 0.07958029955625534f, 0.16093020141124725f, 0.24611230194568634f, 0.33791524171829224f,
        0.44070982933044434f, 0.5626170039176941f, 0.7229568362236023f, 1.0f,
    ];

    internal static int Nearest(float[] book, double x)
    {
        int best = 0;
        for (int i = 1; i < book.Length; i++) if (Math.Abs(book[i] - x) < Math.Abs(book[best] - x)) best = i;
        return best;
    }

    internal sealed record Nf4Packed(float[] Float, byte[] Weight, float[] Absmax, int Count);

    internal static Nf4Packed PackNf4(int rows, int cols, int seed)
    {
        float[] w = Gaussian(rows, cols, seed);
        int n = w.Length, blocks = (n + BlockSize - 1) / BlockSize;
        var absmax = new float[blocks];
        for (int b = 0; b < blocks; b++) absmax[b] = w.Skip(b * BlockSize).Take(BlockSize).Max(Math.Abs);
        var codes = w.Select((x, i) => Nearest(Nf4, x / absmax[i / BlockSize])).ToArray();
        // quantize_4bit packs the flat weight two codes a byte, the first in the high nibble; [ceil(n/2), 1] U8.
        var packed = new byte[(n + 1) / 2];
        for (int i = 0; i < n; i++) packed[i / 2] |= (byte)(i % 2 == 0 ? codes[i] << 4 : codes[i]);
        return new Nf4Packed(w, packed, absmax, n);
    }

    // dequantize_4bit (CPU): out_dq[::2] = A >> 4, out_dq[1::2] = A & 0xF, code[out_dq], .view(-1, blocksize) * absmax.view(-1, 1), .to(dtype).
    internal static float[] Reference(byte[] packed, float[] absmax, int n, ScalarType dtype)
    {
        var dq = new float[packed.Length * 2];
        for (int i = 0; i < packed.Length; i++) { dq[2 * i] = Nf4[packed[i] >> 4]; dq[2 * i + 1] = Nf4[packed[i] & 0xF]; }
        var codes = tensor(dq[..n]);
        var scaled = codes.view(-1, BlockSize) * tensor(absmax).view(-1, 1);
        return Floats(scaled.to_type(dtype));
    }

    [Test]
    public void Nf4IsDecodedBitForBitAsDequantize4BitWithTheHighNibbleFirst()
    {
        var p = PackNf4(Rows, Cols, 51);
        float[] expected = Reference(p.Weight, p.Absmax, p.Count, ScalarType.Float16);

        var decoded = new float[p.Count];
        BitsAndBytesDequantizer.Decode4Bit(p.Weight, Nf4, p.Absmax, BlockSize, decoded, TensorDType.Float16);

        BitEqual(decoded, expected);
        Assert.That(RelativeError(decoded, p.Float), Is.LessThan(0.15), "against the float twin");
    }

    [Test]
    public void DoubleQuantizedAbsmaxIsTheNestedCodeTimesNestedAbsmaxPlusTheOffset()
    {
        var p = PackNf4(Rows, Cols, 52);
        // quantize_4bit(compress_statistics=True): offset = absmax.mean(); quantize_blockwise(absmax - offset) with a
        // 256-entry code book (any book: the checkpoint stores it as nested_quant_map) in blocks of 256.
        float offset = p.Absmax.Average();
        var book = Enumerable.Range(0, 256).Select(i => (float)(-1 + 2.0 * i / 255)).ToArray();
        float nestedAbsmax = p.Absmax.Max(a => Math.Abs(a - offset));
        byte[] codes = p.Absmax.Select(a => (byte)Nearest(book, (a - offset) / nestedAbsmax)).ToArray();
        // dequantize_blockwise(absmax_u8, state2) = code[A] * absmax[block]; absmax += offset (float32).
        float[] absmax = Floats(tensor(codes.Select(c => book[c]).ToArray()) * tensor(new[] { nestedAbsmax }) + tensor(offset));
        float[] expected = Reference(p.Weight, absmax, p.Count, ScalarType.BFloat16);

        float[] decodedAbsmax = BitsAndBytesDequantizer.NestedAbsmax(codes, book, [nestedAbsmax], 256, offset);
        var decoded = new float[p.Count];
        BitsAndBytesDequantizer.Decode4Bit(p.Weight, Nf4, decodedAbsmax, BlockSize, decoded, TensorDType.BFloat16);

        BitEqual(decodedAbsmax, absmax);
        BitEqual(decoded, expected);
        Assert.That(RelativeError(decoded, p.Float), Is.LessThan(0.2));
    }

    [Test]
    public void TheQuantStateJsonIsReadAsQuantStateAsDictPacksIt()
    {
        byte[] json = Encoding.UTF8.GetBytes("""{"quant_type": "nf4", "blocksize": 64, "dtype": "bfloat16", "shape": [16, 40], "nested_blocksize": 256, "nested_dtype": "float32", "nested_offset": 0.04171}""");

        var state = BitsAndBytesQuantState.Parse(json);

        Assert.Multiple(() =>
        {
            Assert.That(state.QuantType, Is.EqualTo("nf4"));
            Assert.That(state.BlockSize, Is.EqualTo(64));
            Assert.That(state.Shape, Is.EqualTo(new long[] { 16, 40 }));
            Assert.That(state.Nested, Is.True);
            Assert.That(state.NestedOffset, Is.EqualTo(0.04171f));
            Assert.That(state.StoredType, Is.EqualTo(TensorDType.BFloat16));
        });
        Assert.That(() => BitsAndBytesQuantState.Parse(Encoding.UTF8.GetBytes("""{"quant_type": "nf4", "blocksize": 0, "shape": [4]}""")),
            Throws.ArgumentException.With.Message.Contains("blocksize"));
    }

    [Test]
    public void Int8IsDecodedBitForBitAsInt8VectorwiseDequant()
    {
        float[] w = Gaussian(Rows, Cols, 53);
        var scb = new float[Rows];
        var q = new sbyte[w.Length];
        for (int r = 0; r < Rows; r++)
        {
            scb[r] = w.Skip(r * Cols).Take(Cols).Max(Math.Abs);
            for (int c = 0; c < Cols; c++) q[r * Cols + c] = (sbyte)Math.Round(w[r * Cols + c] * 127 / scb[r]);
        }
        // A * stats.view(-1, 1) * 7.874015718698502e-3, in torch.
        float[] expected = Floats(tensor(q, [Rows, Cols]) * tensor(scb).view(-1, 1) * 7.874015718698502e-3);

        var decoded = new float[w.Length];
        BitsAndBytesDequantizer.DecodeInt8(q, scb, Rows, Cols, decoded);

        BitEqual(decoded, expected);
        Assert.That(RelativeError(decoded, w), Is.LessThan(0.02));
    }

    [Test]
    public void AbsmaxOfTheWrongCountShortWeightsAndBadCodeBooksAreRefused()
    {
        var p = PackNf4(Rows, Cols, 54);
        var decoded = new float[p.Count];
        Assert.Multiple(() =>
        {
            Assert.That(() => BitsAndBytesDequantizer.Decode4Bit(p.Weight, Nf4, p.Absmax[..^1], BlockSize, decoded, TensorDType.Float32), Throws.ArgumentException.With.Message.Contains("absmax"));
            Assert.That(() => BitsAndBytesDequantizer.Decode4Bit(p.Weight[..^1], Nf4, p.Absmax, BlockSize, decoded, TensorDType.Float32), Throws.ArgumentException.With.Message.Contains("bytes"));
            Assert.That(() => BitsAndBytesDequantizer.Decode4Bit(p.Weight, Nf4[..8], p.Absmax, BlockSize, decoded, TensorDType.Float32), Throws.ArgumentException.With.Message.Contains("quant_map"));
            Assert.That(() => BitsAndBytesDequantizer.DecodeInt8(new sbyte[Rows * Cols], new float[Rows - 1], Rows, Cols, new float[Rows * Cols]), Throws.ArgumentException.With.Message.Contains("SCB"));
        });
    }
}
