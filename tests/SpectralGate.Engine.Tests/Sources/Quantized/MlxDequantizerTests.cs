using SpectralGate.Engine.Sources;
using SpectralGate.Engine.Sources.Quantized;
using static SpectralGate.Engine.Tests.Sources.Quantized.QuantizedTestMath;
using static TorchSharp.torch;

namespace SpectralGate.Engine.Tests.Sources.Quantized;

/// <summary>
/// MLX affine quantization packed as <c>mlx.core.quantize</c> lays it out (codes as one little-endian bit stream per row,
/// in uint32 words, 3/5/6-bit codes straddling words), checked against <c>w = scales * q + biases</c> done by torch in
/// float16.
/// </summary>
public class MlxDequantizerTests
{
    private const int Rows = 4, Cols = 128;

    [TestCase(2, 32)]
    [TestCase(3, 64)]
    [TestCase(4, 64)]
    [TestCase(5, 32)]
    [TestCase(6, 128)]
    [TestCase(8, 64)]
    public void EveryBitWidthDecodesBitForBitAsMlxDequantize(int bits, int group)
    {
        float[] w = Gaussian(Rows, Cols, 60 + bits);
        int groups = Rows * Cols / group, levels = (1 << bits) - 1;
        var scales = new float[groups];
        var biases = new float[groups];
        var q = new int[w.Length];
        for (int g = 0; g < groups; g++)
        {
            var slice = w.Skip(g * group).Take(group).ToArray();
            scales[g] = (float)(Half)((slice.Max() - slice.Min()) / levels);
            biases[g] = (float)(Half)slice.Min();
            for (int k = 0; k < group; k++) q[g * group + k] = Math.Clamp((int)Math.Round((slice[k] - biases[g]) / scales[g]), 0, levels);
        }
        // The uint32 words of each row as a bit stream: code k at bit k·bits, its overflow into the next word.
        int wordsPerRow = Cols * bits / 32;
        var words = new uint[Rows * wordsPerRow];
        for (int r = 0; r < Rows; r++)
            for (int k = 0; k < Cols; k++)
            {
                int bit = k * bits, word = r * wordsPerRow + bit / 32, shift = bit % 32;
                words[word] |= (uint)q[r * Cols + k] << shift;
                if (shift + bits > 32) words[word + 1] |= (uint)q[r * Cols + k] >> (32 - shift);
            }
        byte[] packed = words.SelectMany(BitConverter.GetBytes).ToArray();
        float[] expected = Floats(tensor(q.Select(v => (float)v).ToArray(), [groups, group]).to_type(ScalarType.Float16)
            * tensor(scales, [groups, 1]).to_type(ScalarType.Float16) + tensor(biases, [groups, 1]).to_type(ScalarType.Float16));

        var decoded = new float[w.Length];
        MlxDequantizer.Decode(packed, scales, biases, Rows, Cols, bits, group, decoded, TensorDType.Float16);

        BitEqual(decoded, expected);
        Assert.That(RelativeError(decoded, w), Is.LessThan(bits >= 4 ? 0.12 : 0.6), "against the float twin");
    }

    [Test]
    public void AbsurdBitsGroupsThatDoNotDivideAndShortWeightsAreRefused()
    {
        var scales = new float[Rows * Cols / 64];
        Assert.Multiple(() =>
        {
            Assert.That(() => MlxDequantizer.Decode(new byte[Rows * Cols], scales, scales, Rows, Cols, 7, 64, new float[Rows * Cols], TensorDType.Float16), Throws.ArgumentException.With.Message.Contains("bits 7"));
            Assert.That(() => MlxDequantizer.Decode(new byte[Rows * 100 / 2], new float[Rows * 2], new float[Rows * 2], Rows, 100, 4, 64, new float[Rows * 100], TensorDType.Float16), Throws.ArgumentException.With.Message.Contains("groups of 64"));
            Assert.That(() => MlxDequantizer.Decode(new byte[Rows * Cols / 2 - 4], scales, scales, Rows, Cols, 4, 64, new float[Rows * Cols], TensorDType.Float16), Throws.ArgumentException.With.Message.Contains("bytes"));
            Assert.That(() => MlxDequantizer.Decode(new byte[Rows * Cols / 2], scales[..^1], scales, Rows, Cols, 4, 64, new float[Rows * Cols], TensorDType.Float16), Throws.ArgumentException.With.Message.Contains("scales"));
        });
    }
}
