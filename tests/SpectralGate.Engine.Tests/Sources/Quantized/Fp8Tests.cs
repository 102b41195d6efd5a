using SpectralGate.Engine.Sources;
using SpectralGate.Engine.Sources.Quantized;
using SpectralGate.Engine.Sources.Safetensors;
using SpectralGate.Tests.Support;
using TorchSharp;

namespace SpectralGate.Engine.Tests.Sources.Quantized;

/// <summary>The 8-bit float dtypes of safetensors, decoded exactly, alone and with compressed-tensors per-channel scales.</summary>
public class Fp8Tests
{
    [Test]
    public void E5M2IsTheTopByteOfAHalfForAll256Codes()
    {
        for (int b = 0; b < 256; b++)
            Assert.That(Fp8.E5M2((byte)b), Is.EqualTo(QuantizedCheckpoints.E5M2((byte)b)).Or.NaN, $"code 0x{b:X2}");
    }

    [Test]
    public void E4M3FnMatchesTheHalfBitRelocationForAll256Codes()
    {
        for (int b = 0; b < 256; b++)
        {
            double expected = QuantizedCheckpoints.E4M3((byte)b);
            if (double.IsNaN(expected)) Assert.That(Fp8.E4M3((byte)b), Is.NaN, $"code 0x{b:X2}");
            else Assert.That(BitConverter.DoubleToInt64Bits(Fp8.E4M3((byte)b)), Is.EqualTo(BitConverter.DoubleToInt64Bits(expected)), $"code 0x{b:X2}");
        }
    }

    [TestCase(0x7E, 448.0)] // S.1111.110: the largest finite value (no infinities in the "fn" variant)
    [TestCase(0x01, 0.001953125)] // the smallest subnormal, 2^-9
    [TestCase(0x08, 0.015625)] // the smallest normal, 2^-6
    [TestCase(0x38, 1.0)]
    [TestCase(0xB8, -1.0)]
    [TestCase(0x78, 256.0)] // S.1111.000 is a number in E4M3FN, not infinity
    public void E4M3FnKnownValues(int code, double value) => Assert.That(Fp8.E4M3((byte)code), Is.EqualTo(value));

    [TestCase(0x7F)]
    [TestCase(0xFF)]
    public void E4M3FnNaNIsOnlyAllOnes(int code) => Assert.That(Fp8.E4M3((byte)code), Is.NaN);

    [Test]
    public void E5M2HasInfinities()
    {
        Assert.That(Fp8.E5M2(0x7C), Is.EqualTo(double.PositiveInfinity));
        Assert.That(Fp8.E5M2(0xFC), Is.EqualTo(double.NegativeInfinity));
        Assert.That(Fp8.E5M2(0x7D), Is.NaN);
    }

    [Test]
    public void ABareFp8TensorIsAFloatWeightNotAnIntegerOne()
    {
        // The defect: "dtype F8_E4M3 is not a floating type". Every code but NaN, as a 16 x 15 matrix.
        byte[] codes = Enumerable.Range(0, 240).Select(i => (byte)(i < 127 ? i : i + 1)).ToArray();
        string path = SafetensorsFixtures.Write(new SafetensorsWriter.Tensor("w.weight", "F8_E5M2", [16, 15], codes.Select(c => (byte)(c & 0x7B)).ToArray()),
            new SafetensorsWriter.Tensor("v.weight", "F8_E4M3", [16, 15], codes));

        using var source = new SafetensorsFileSource(path);
        var entries = source.Tensors.ToDictionary(e => e.Name);
        using var e4m3 = entries["v.weight"].Load(torch.CPU, torch.ScalarType.Float64);
        using var e5m2 = entries["w.weight"].Load(torch.CPU, torch.ScalarType.Float64);

        Assert.That(entries["v.weight"].DType, Is.Not.EqualTo(TensorDType.Unsupported));
        Assert.That(entries["v.weight"].Quantization, Is.EqualTo("FP8"));
        Assert.That(e4m3.data<double>().ToArray(), Is.EqualTo(codes.Select(c => QuantizedCheckpoints.E4M3(c)).ToArray()));
        Assert.That(e5m2.data<double>().ToArray(), Is.EqualTo(codes.Select(c => QuantizedCheckpoints.E5M2((byte)(c & 0x7B))).ToArray()));
    }

    [Test]
    public void CompressedTensorsFp8PerChannelMultipliesEachRowByItsScale()
    {
        // float-quantized, strategy channel: weight_scale [out, 1] bf16, input_scale a parameter too (compressed-tensors forward.py dequantize).
        var rng = new Random(7);
        byte[] codes = Enumerable.Range(0, 12 * 10).Select(_ => (byte)rng.Next(0, 0x7E)).ToArray();
        float[] scales = Enumerable.Range(0, 12).Select(i => QuantizedCheckpoints.Bf16(0.01f * (i + 1))).ToArray();
        string folder = TestPaths.NewScratchFolder();
        File.WriteAllText(Path.Combine(folder, "config.json"), """{"quantization_config":{"quant_method":"compressed-tensors","format":"float-quantized","config_groups":{"group_0":{"targets":["Linear"],"weights":{"num_bits":8,"type":"float","symmetric":true,"strategy":"channel"}}}}}""");
        string path = Path.Combine(folder, "model.safetensors");
        SafetensorsWriter.Write(path, [new("l.weight", "F8_E4M3", [12, 10], codes), QuantizedCheckpoints.BFloat16("l.weight_scale", [12, 1], scales), SafetensorsWriter.Float32("l.input_scale", [1], [0.5f])]);

        using var source = new SafetensorsFileSource(path);
        var entries = source.Tensors.ToList();
        using var w = entries.Single(e => e.Name == "l.weight").Load(torch.CPU, torch.ScalarType.Float32);

        float[] expected = Enumerable.Range(0, 120).Select(i => QuantizedCheckpoints.Bf16((float)(QuantizedCheckpoints.E4M3(codes[i]) * scales[i / 10]))).ToArray();
        Assert.That(w.data<float>().ToArray(), Is.EqualTo(expected));
        Assert.That(entries.Where(e => e.QuantizationParameterOf == "l.weight").Select(e => e.Name), Is.EquivalentTo(new[] { "l.weight_scale", "l.input_scale" }));
    }
}
