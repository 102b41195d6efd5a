using SpectralGate.Engine.Sources;
using SpectralGate.Engine.Sources.Quantized;
using static SpectralGate.Engine.Tests.Sources.Quantized.QuantizedTestMath;
using static TorchSharp.torch;

namespace SpectralGate.Engine.Tests.Sources.Quantized;

/// <summary>
/// NVFP4 packed as compressed-tensors' <c>pack_fp4_to_uint8</c> and ModelOpt pack it (index of the even column in the low
/// nibble), scales chosen as their quantizers choose them, decoded against a dequantization written here from
/// <c>unpack_fp4_from_uint8</c> + <c>_dequantize</c> and <c>NVFP4QTensor.dequantize</c>.
/// </summary>
public class Nvfp4DequantizerTests
{
    internal const int Rows = 16, Cols = 64, Block = 16;

    internal sealed record Packed(byte[] Weight, float[] Scales, float GlobalScale, float[] Float);

    // compressed-tensors' NVFP4 observer: global_scale = 448·6 / amax(W); block scale = amax(block)/6 · global_scale, as E4M3.
    internal static Packed Pack(int seed)
    {
        float[] w = Gaussian(Rows, Cols, seed);
        float global = (float)(448.0 * 6 / w.Max(Math.Abs));
        var scales = new float[Rows * Cols / Block];
        var codes = new int[Rows * Cols];
        for (int b = 0; b < scales.Length; b++)
        {
            double amax = 0;
            for (int j = 0; j < Block; j++) amax = Math.Max(amax, Math.Abs(w[b * Block + j]));
            scales[b] = (float)E4M3(ToE4M3(amax / 6 * global));
            double effective = scales[b] / global;
            for (int j = 0; j < Block; j++) codes[b * Block + j] = ToE2M1(w[b * Block + j] / effective);
        }
        var packed = new byte[codes.Length / 2];
        for (int i = 0; i < packed.Length; i++) packed[i] = (byte)(codes[2 * i] | (codes[2 * i + 1] << 4));
        return new Packed(packed, scales, global, w);
    }

    // unpack_fp4_from_uint8: stack((low, high)) flattened, sign from bit 3, magnitude from the table, as bfloat16.
    internal static float[] Unpacked(byte[] packed)
    {
        var combined = new List<int>();
        foreach (byte a in packed) { combined.Add(a & 0x0F); combined.Add((a & 0xF0) >> 4); }
        return combined.Select(c => (float)(E2M1[c & 7] * ((c & 8) != 0 ? -1 : 1))).ToArray();
    }

    internal static float[] ToBFloat16(float[] values) => Floats(tensor(values).to_type(ScalarType.BFloat16));

    [Test]
    public void CompressedTensorsNvfp4IsDecodedBitForBitAsCompressedTensorsDequantizes()
    {
        var p = Pack(31);
        float[] values = ToBFloat16(Unpacked(p.Weight));
        float[] scaleBf16 = ToBFloat16(p.Scales);
        // _dequantize: scale = scale / global_scale (float32), x_q.to(float32) * scale, .to(bfloat16).
        var expected = new float[Rows * Cols];
        for (int i = 0; i < expected.Length; i++) expected[i] = values[i] * (scaleBf16[i / Block] / p.GlobalScale);
        expected = ToBFloat16(expected);

        var decoded = new float[Rows * Cols];
        Nvfp4Dequantizer.DecodeCompressedTensors(p.Weight, p.Scales, p.GlobalScale, Rows, Cols, decoded);

        BitEqual(decoded, expected);
        Assert.That(RelativeError(decoded, p.Float), Is.LessThan(0.15), "against the float twin");
    }

    [Test]
    public void ModelOptNvfp4MultipliesByWeightScale2AndEqualsTheCompressedTensorsDecodeOfTheSameCodes()
    {
        var p = Pack(32);
        float scale2 = 1 / p.GlobalScale;
        // NVFP4QTensor.dequantize: per_block_scale = float32(scale) * double_scale; unpacked.view(-1, 16) * per_block_scale; .to(dtype).
        float[] values = Unpacked(p.Weight);
        var expected = new float[Rows * Cols];
        for (int i = 0; i < expected.Length; i++) expected[i] = values[i] * (p.Scales[i / Block] * scale2);
        expected = ToBFloat16(expected);

        var decoded = new float[Rows * Cols];
        Nvfp4Dequantizer.DecodeModelOpt(p.Weight, p.Scales, scale2, Rows, Cols, decoded, TensorDType.BFloat16);
        var viaGlobal = new float[Rows * Cols];
        Nvfp4Dequantizer.DecodeCompressedTensors(p.Weight, p.Scales, p.GlobalScale, Rows, Cols, viaGlobal);

        BitEqual(decoded, expected);
        Assert.That(RelativeError(decoded, viaGlobal), Is.LessThan(1e-2), "1/global against global: the same weight up to rounding");
        Assert.That(RelativeError(decoded, p.Float), Is.LessThan(0.15));
    }

    [Test]
    public void ScalesOfTheWrongCountAndShortWeightsAreRefusedSayingWhat()
    {
        var p = Pack(33);
        var decoded = new float[Rows * Cols];
        Assert.Multiple(() =>
        {
            Assert.That(() => Nvfp4Dequantizer.DecodeCompressedTensors(p.Weight, p.Scales[..^1], p.GlobalScale, Rows, Cols, decoded),
                Throws.ArgumentException.With.Message.Contains("weight_scale"));
            Assert.That(() => Nvfp4Dequantizer.DecodeModelOpt(p.Weight[..^3], p.Scales, 1, Rows, Cols, decoded, TensorDType.BFloat16),
                Throws.ArgumentException.With.Message.Contains("bytes"));
            Assert.That(() => Nvfp4Dequantizer.DecodeModelOpt(p.Weight, p.Scales, 1, Rows * 2, Cols / 2 + 8, new float[Rows * (Cols + 16)], TensorDType.BFloat16),
                Throws.ArgumentException.With.Message.Contains("blocks"));
        });
    }
}
