using SpectralGate.Engine.Sources;
using SpectralGate.Engine.Sources.Quantized;
using static SpectralGate.Engine.Tests.Sources.Quantized.QuantizedTestMath;
using static TorchSharp.torch;

namespace SpectralGate.Engine.Tests.Sources.Quantized;

/// <summary>
/// gpt-oss MXFP4 experts packed as the OCP MX spec and gpt-oss's checkpoints lay them out (<c>[E, rows, G, 16]</c>, the
/// even index in the low nibble, an E8M0 exponent per 32 values), checked against transformers'
/// <c>convert_moe_packed_tensors</c> written here with torch's own transpose and bfloat16 cast.
/// </summary>
public class Mxfp4DequantizerTests
{
    private const int Experts = 2, Rows = 12, Groups = 2, Cols = Groups * 32;

    [Test]
    public void GptOssExpertsDecodeBitForBitAsTransformersConvertMoePackedTensors()
    {
        var twins = new float[Experts][];
        var blocks = new byte[Experts * Rows * Groups * 16];
        var scales = new byte[Experts * Rows * Groups];
        for (int e = 0; e < Experts; e++)
        {
            twins[e] = Gaussian(Rows, Cols, 40 + e);
            for (int r = 0; r < Rows; r++)
                for (int g = 0; g < Groups; g++)
                {
                    int block = (e * Rows + r) * Groups + g;
                    double amax = Enumerable.Range(0, 32).Max(k => Math.Abs(twins[e][r * Cols + g * 32 + k]));
                    // MX shared exponent: floor(log2(amax)) − emax(E2M1) = − 2, stored with bias 127.
                    int shared = (int)Math.Floor(Math.Log2(amax)) - 2;
                    scales[block] = (byte)(shared + 127);
                    for (int j = 0; j < 16; j++)
                    {
                        int lo = ToE2M1(twins[e][r * Cols + g * 32 + 2 * j] / Math.Pow(2, shared));
                        int hi = ToE2M1(twins[e][r * Cols + g * 32 + 2 * j + 1] / Math.Pow(2, shared));
                        blocks[block * 16 + j] = (byte)(lo | (hi << 4));
                    }
                }
        }
        // convert_moe_packed_tensors: rows_total x 32 with sub[:, 0::2] = lut[lo], sub[:, 1::2] = lut[hi], ldexp by
        // scale − 127, reshaped [E, rows, G·32], then transpose(1, 2).
        double[] lut = [.. E2M1, .. E2M1.Select(v => -v)];
        var flat = new float[Experts * Rows * Cols];
        for (int block = 0; block < scales.Length; block++)
            for (int j = 0; j < 16; j++)
            {
                flat[block * 32 + 2 * j] = (float)(lut[blocks[block * 16 + j] & 0x0F] * Math.Pow(2, scales[block] - 127));
                flat[block * 32 + 2 * j + 1] = (float)(lut[blocks[block * 16 + j] >> 4] * Math.Pow(2, scales[block] - 127));
            }
        float[] expected = Floats(tensor(flat, [Experts, Rows, Cols]).to_type(ScalarType.BFloat16).transpose(1, 2).contiguous());

        var decoded = new float[flat.Length];
        Mxfp4Dequantizer.DecodeExperts(blocks, scales, Experts, Rows, Groups, decoded, TensorDType.BFloat16);

        BitEqual(decoded, expected);
        for (int e = 0; e < Experts; e++)
        {
            float[] twinT = Floats(tensor(twins[e], [Rows, Cols]).t().contiguous());
            Assert.That(RelativeError(decoded[(e * Rows * Cols)..((e + 1) * Rows * Cols)], twinT), Is.LessThan(0.25), $"expert {e} against its float twin");
        }
    }

    [Test]
    public void ScalesThatDoNotMatchTheBlocksAndShortBlocksAreRefused()
    {
        var decoded = new float[Experts * Rows * Cols];
        Assert.Multiple(() =>
        {
            Assert.That(() => Mxfp4Dequantizer.DecodeExperts(new byte[Experts * Rows * Groups * 16], new byte[Experts * Rows], Experts, Rows, Groups, decoded, TensorDType.BFloat16),
                Throws.ArgumentException.With.Message.Contains("scales"));
            Assert.That(() => Mxfp4Dequantizer.DecodeExperts(new byte[100], new byte[Experts * Rows * Groups], Experts, Rows, Groups, decoded, TensorDType.BFloat16),
                Throws.ArgumentException.With.Message.Contains("blocks"));
        });
    }
}
