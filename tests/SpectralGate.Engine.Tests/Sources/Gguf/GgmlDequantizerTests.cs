using System.Runtime.InteropServices;
using SpectralGate.Engine.Sources.Gguf;
using SpectralGate.Tests.Support;

namespace SpectralGate.Engine.Tests.Sources.Gguf;

/// <summary>
/// Every decoded ggml type against vectors made by ggml's own dequantize_row_* (Fixtures/gguf, see its README):
/// random blocks, every bit random but the fp16 scales, compared bit for bit.
/// </summary>
public class GgmlDequantizerTests
{
    private static string Fixture(string file) => Path.Combine(AppContext.BaseDirectory, "Fixtures", "gguf", file);

    private static int[] Bits(float[] values) => values.Select(BitConverter.SingleToInt32Bits).ToArray();

    [TestCase("Q4_0")]
    [TestCase("Q4_1")]
    [TestCase("Q5_0")]
    [TestCase("Q5_1")]
    [TestCase("Q8_0")]
    [TestCase("Q2_K")]
    [TestCase("Q3_K")]
    [TestCase("Q4_K")]
    [TestCase("Q5_K")]
    [TestCase("Q6_K")]
    [TestCase("F16")]
    [TestCase("BF16")]
    public void DequantizesBitForBitAsGgml(string typeName)
    {
        var type = GgmlType.ByName(typeName);
        byte[] blocks = File.ReadAllBytes(Fixture(typeName.ToLowerInvariant() + ".blocks"));
        float[] expected = MemoryMarshal.Cast<byte, float>(File.ReadAllBytes(Fixture(typeName.ToLowerInvariant() + ".f32"))).ToArray();
        var actual = new float[expected.Length];

        GgmlDequantizer.Dequantize(type, blocks, actual);

        Assert.That(blocks.Length, Is.EqualTo(expected.Length / type.BlockSize * type.TypeSize));
        Assert.That(Bits(actual), Is.EqualTo(Bits(expected)));
    }

    [Test]
    public void TheTestQuantizersMakeTheBytesGgmlMakes()
    {
        float[] x = MemoryMarshal.Cast<byte, float>(File.ReadAllBytes(Fixture("quantize.f32"))).ToArray();

        Assert.That(GgmlReferenceQuantizer.Q4_0(x), Is.EqualTo(File.ReadAllBytes(Fixture("quantize_q4_0.blocks"))));
        Assert.That(GgmlReferenceQuantizer.Q8_0(x), Is.EqualTo(File.ReadAllBytes(Fixture("quantize_q8_0.blocks"))));
    }

    [Test]
    public void AQ4_0BlockIsItsScaleTimesTheNibbleLessEight()
    {
        // Worked by hand from block_q4_0: d = 0.5 (fp16 0x3800); byte j holds element j (low nibble) and j + 16 (high).
        var block = new byte[18];
        block[0] = 0x00; block[1] = 0x38;
        for (int j = 0; j < 16; j++) block[2 + j] = (byte)(j | ((15 - j) << 4));
        var y = new float[32];

        GgmlDequantizer.Dequantize(GgmlType.ByName("Q4_0"), block, y);

        Assert.That(y[..16], Is.EqualTo(Enumerable.Range(0, 16).Select(j => (j - 8) * 0.5f)));
        Assert.That(y[16..], Is.EqualTo(Enumerable.Range(0, 16).Select(j => (7 - j) * 0.5f)));
    }

    [Test]
    public void SizesThatAreNotWholeBlocksAreRefused()
    {
        Assert.Throws<ArgumentException>(() => GgmlDequantizer.Dequantize(GgmlType.ByName("Q8_0"), new byte[34], new float[31]));
        Assert.Throws<ArgumentException>(() => GgmlDequantizer.Dequantize(GgmlType.ByName("Q8_0"), new byte[33], new float[32]));
        Assert.Throws<ArgumentException>(() => GgmlDequantizer.Dequantize(GgmlType.ByName("IQ4_NL"), new byte[18], new float[32]));
    }
}
