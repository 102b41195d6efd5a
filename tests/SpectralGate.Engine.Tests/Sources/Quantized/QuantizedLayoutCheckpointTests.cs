using System.Text;
using SpectralGate.Engine.Errors;
using SpectralGate.Engine.Signatures;
using SpectralGate.Engine.Sources;
using SpectralGate.Engine.Sources.Safetensors;
using SpectralGate.Tests.Support;
using static SpectralGate.Engine.Tests.Sources.Quantized.QuantizedTestMath;
using static TorchSharp.torch;
using W = SpectralGate.Engine.Sources.Safetensors.SafetensorsWriter;

namespace SpectralGate.Engine.Tests.Sources.Quantized;

/// <summary>
/// Checkpoints of each layout packed as the library packs it, read through the safetensors source: the weight is
/// decoded under its own name, equal bit for bit to the test's dequantization, with the float twin's metrics, and no
/// parameter is ever a layer; a checkpoint whose tensors contradict the layout is an error naming file and tensor.
/// </summary>
public class QuantizedLayoutCheckpointTests
{
    private const string Module = "model.layers.0.mlp.up_proj", Weight = Module + ".weight", Plain = "model.layers.0.mlp.down_proj.weight";

    private static W.Tensor Raw(string name, string dtype, long[] shape, byte[] data) => new(name, dtype, shape, data);

    private static byte[] Bytes(float[] values) => values.SelectMany(BitConverter.GetBytes).ToArray();

    private static W.Tensor PlainWeight() => W.Float32(Plain, [64, 16], Gaussian(64, 16, 5));

    private static string Write(string? configFile, string? configJson, params W.Tensor[] tensors)
    {
        string folder = TestPaths.NewScratchFolder();
        if (configFile is not null) File.WriteAllText(Path.Combine(folder, configFile), configJson);
        string path = Path.Combine(folder, "model.safetensors");
        W.Write(path, tensors);
        return path;
    }

    /// <summary>The decoded weight, the signature, and the float twin's signature (the expected values stored as float32).</summary>
    private static (float[] Decoded, SpectralSignature Signature, SpectralSignature Twin) Read(string path, string weight, long[] shape, float[] expected)
    {
        using var source = new SafetensorsFileSource(path);
        float[] decoded = Floats(source.Tensors.Single(e => e.Name == weight).Load(CPU, ScalarType.Float32));
        var signature = SpectralEngine.Compute(source);
        string twinPath = Path.Combine(TestPaths.NewScratchFolder(), "twin.safetensors");
        W.Write(twinPath, [W.Float32(weight, shape, expected), PlainWeight()]);
        using var twinSource = new SafetensorsFileSource(twinPath);
        return (decoded, signature, SpectralEngine.Compute(twinSource));
    }

    private static void AssertLayersAndTwin(SpectralSignature signature, SpectralSignature twin, string layout, IEnumerable<string> parameters, params string[] layers)
    {
        Assert.Multiple(() =>
        {
            Assert.That(signature.Layers.Select(l => l.Name), Is.EquivalentTo(layers), "layers: the weights, never a parameter");
            foreach (string p in parameters)
                Assert.That(signature.Skipped.Single(s => s.Name == p).Kind, Is.EqualTo(SkipKind.QuantizationParameter), p);
            Assert.That(signature.Coverage!.Decoded[layout], Is.GreaterThan(0));
            Assert.That(signature.Coverage.NotDecoded, Is.Empty);
            foreach (var layer in twin.Layers)
                foreach (var (metric, value) in layer.Metrics)
                    Assert.That(signature.Layer(layer.Name)![metric], Is.EqualTo(value), $"{layer.Name} {metric} against the float twin");
        });
    }

    [Test]
    public void CompressedTensorsNvfp4IsReadAsItsWeight()
    {
        var p = Nvfp4DequantizerTests.Pack(71);
        int rows = Nvfp4DequantizerTests.Rows, cols = Nvfp4DequantizerTests.Cols;
        float[] values = Nvfp4DequantizerTests.ToBFloat16(Nvfp4DequantizerTests.Unpacked(p.Weight)), scales = Nvfp4DequantizerTests.ToBFloat16(p.Scales);
        float[] expected = Nvfp4DequantizerTests.ToBFloat16(values.Select((v, i) => v * (scales[i / 16] / p.GlobalScale)).ToArray());
        string config = """
            {"quantization_config": {"quant_method": "compressed-tensors", "format": "nvfp4-pack-quantized",
             "config_groups": {"group_0": {"targets": ["Linear"], "format": "nvfp4-pack-quantized",
               "weights": {"num_bits": 4, "type": "float", "strategy": "tensor_group", "group_size": 16, "symmetric": true}}}}}
            """;
        string path = Write("config.json", config,
            Raw(Module + ".weight_packed", "U8", [rows, cols / 2], p.Weight),
            Raw(Module + ".weight_scale", "F8_E4M3", [rows, cols / 16], p.Scales.Select(s => ToE4M3(s)).ToArray()),
            Raw(Module + ".weight_global_scale", "F32", [1], Bytes([p.GlobalScale])),
            PlainWeight());

        var (decoded, signature, twin) = Read(path, Weight, [rows, cols], expected);

        BitEqual(decoded, expected);
        AssertLayersAndTwin(signature, twin, "NVFP4", [Module + ".weight_scale", Module + ".weight_global_scale"], Weight, Plain);
    }

    [Test]
    public void ModelOptNvfp4IsReadAsItsWeight()
    {
        var p = Nvfp4DequantizerTests.Pack(72);
        int rows = Nvfp4DequantizerTests.Rows, cols = Nvfp4DequantizerTests.Cols;
        float scale2 = 1 / p.GlobalScale;
        float[] values = Nvfp4DequantizerTests.Unpacked(p.Weight);
        float[] expected = Nvfp4DequantizerTests.ToBFloat16(values.Select((v, i) => v * (p.Scales[i / 16] * scale2)).ToArray());
        string path = Write("hf_quant_config.json", """{"producer": {"name": "modelopt"}, "quantization": {"quant_algo": "NVFP4", "group_size": 16}}""",
            Raw(Weight, "U8", [rows, cols / 2], p.Weight),
            Raw(Module + ".weight_scale", "F8_E4M3", [rows, cols / 16], p.Scales.Select(s => ToE4M3(s)).ToArray()),
            Raw(Module + ".weight_scale_2", "F32", [], Bytes([scale2])),
            Raw(Module + ".input_scale", "F32", [], Bytes([0.01f])),
            PlainWeight());

        var (decoded, signature, twin) = Read(path, Weight, [rows, cols], expected);

        BitEqual(decoded, expected);
        AssertLayersAndTwin(signature, twin, "NVFP4", [Module + ".weight_scale", Module + ".weight_scale_2", Module + ".input_scale"], Weight, Plain);
    }

    [Test]
    public void GptOssMxfp4ExpertsAreOneLayerPerExpert()
    {
        const int experts = 2, rows = 16, groups = 1;
        var random = new Random(73);
        byte[] blocks = new byte[experts * rows * groups * 16];
        random.NextBytes(blocks);
        byte[] scales = Enumerable.Range(0, experts * rows * groups).Select(_ => (byte)random.Next(120, 130)).ToArray();
        double[] lut = [.. E2M1, .. E2M1.Select(v => -v)];
        var flat = new float[experts * rows * 32];
        for (int b = 0; b < scales.Length; b++)
            for (int j = 0; j < 16; j++)
            {
                flat[b * 32 + 2 * j] = (float)(lut[blocks[b * 16 + j] & 0xF] * Math.Pow(2, scales[b] - 127));
                flat[b * 32 + 2 * j + 1] = (float)(lut[blocks[b * 16 + j] >> 4] * Math.Pow(2, scales[b] - 127));
            }
        float[] expected = Floats(tensor(flat, [experts, rows, 32]).to_type(ScalarType.BFloat16).transpose(1, 2).contiguous());
        const string stem = "model.layers.0.mlp.experts.gate_up_proj";
        string path = Write("config.json", """{"quantization_config": {"quant_method": "mxfp4", "modules_to_not_convert": ["model.layers.*.self_attn"]}}""",
            Raw(stem + "_blocks", "U8", [experts, rows, groups, 16], blocks),
            Raw(stem + "_scales", "U8", [experts, rows, groups], scales),
            PlainWeight());

        var (decoded, signature, twin) = Read(path, stem, [experts, 32, rows], expected);

        BitEqual(decoded, expected);
        AssertLayersAndTwin(signature, twin, "MXFP4", [stem + "_scales"], stem + "[0]", stem + "[1]", Plain);
    }

    [Test]
    public void BitsAndBytesNf4WithDoubleQuantizationIsReadAsItsWeight()
    {
        int rows = BitsAndBytesDequantizerTests.Rows, cols = BitsAndBytesDequantizerTests.Cols, block = BitsAndBytesDequantizerTests.BlockSize;
        var p = BitsAndBytesDequantizerTests.PackNf4(rows, cols, 74);
        float offset = p.Absmax.Average();
        var book = Enumerable.Range(0, 256).Select(i => (float)(-1 + 2.0 * i / 255)).ToArray();
        float nestedAbsmax = p.Absmax.Max(a => Math.Abs(a - offset));
        byte[] codes = p.Absmax.Select(a => (byte)BitsAndBytesDequantizerTests.Nearest(book, (a - offset) / nestedAbsmax)).ToArray();
        float[] absmax = Floats(tensor(codes.Select(c => book[c]).ToArray()) * tensor(new[] { nestedAbsmax }) + tensor(offset));
        float[] expected = BitsAndBytesDequantizerTests.Reference(p.Weight, absmax, p.Count, ScalarType.BFloat16);
        byte[] state = Encoding.UTF8.GetBytes($$"""{"quant_type": "nf4", "blocksize": {{block}}, "dtype": "bfloat16", "shape": [{{rows}}, {{cols}}], "nested_blocksize": 256, "nested_dtype": "float32", "nested_offset": {{offset:R}}}""");
        string path = Write("config.json", """{"quantization_config": {"quant_method": "bitsandbytes", "load_in_4bit": true, "bnb_4bit_quant_type": "nf4", "bnb_4bit_use_double_quant": true}}""",
            Raw(Weight, "U8", [p.Weight.Length, 1], p.Weight),
            Raw(Weight + ".absmax", "U8", [codes.Length], codes),
            Raw(Weight + ".quant_map", "F32", [16], Bytes(BitsAndBytesDequantizerTests.Nf4)),
            Raw(Weight + ".nested_absmax", "F32", [1], Bytes([nestedAbsmax])),
            Raw(Weight + ".nested_quant_map", "F32", [256], Bytes(book)),
            Raw(Weight + ".quant_state.bitsandbytes__nf4", "U8", [state.Length], state),
            PlainWeight());

        var (decoded, signature, twin) = Read(path, Weight, [rows, cols], expected);

        BitEqual(decoded, expected);
        AssertLayersAndTwin(signature, twin, "bitsandbytes",
            [Weight + ".absmax", Weight + ".quant_map", Weight + ".nested_absmax", Weight + ".nested_quant_map", Weight + ".quant_state.bitsandbytes__nf4"], Weight, Plain);
    }

    [Test]
    public void BitsAndBytesInt8IsReadAsItsWeight()
    {
        const int rows = 16, cols = 32;
        float[] w = Gaussian(rows, cols, 75);
        var scb = Enumerable.Range(0, rows).Select(r => w.Skip(r * cols).Take(cols).Max(Math.Abs)).ToArray();
        var q = w.Select((x, i) => (sbyte)Math.Round(x * 127 / scb[i / cols])).ToArray();
        float[] expected = Floats(tensor(q, [rows, cols]) * tensor(scb).view(-1, 1) * 7.874015718698502e-3);
        string path = Write("config.json", """{"quantization_config": {"quant_method": "bitsandbytes", "load_in_8bit": true}}""",
            Raw(Weight, "I8", [rows, cols], q.Select(v => (byte)v).ToArray()),
            Raw(Module + ".SCB", "F32", [rows], Bytes(scb)),
            Raw(Module + ".weight_format", "U8", [], [0]),
            PlainWeight());

        var (decoded, signature, twin) = Read(path, Weight, [rows, cols], expected);

        BitEqual(decoded, expected);
        AssertLayersAndTwin(signature, twin, "bitsandbytes", [Module + ".SCB", Module + ".weight_format"], Weight, Plain);
    }

    [TestCase(4, 64)]
    [TestCase(3, 32)]
    public void MlxAffineIsReadAsItsWeight(int bits, int group)
    {
        const int rows = 16, cols = 128;
        float[] w = Gaussian(rows, cols, 76);
        int groups = rows * cols / group, levels = (1 << bits) - 1;
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
        int wordsPerRow = cols * bits / 32;
        var words = new uint[rows * wordsPerRow];
        for (int r = 0; r < rows; r++)
            for (int k = 0; k < cols; k++)
            {
                int bit = k * bits, word = r * wordsPerRow + bit / 32, shift = bit % 32;
                words[word] |= (uint)q[r * cols + k] << shift;
                if (shift + bits > 32) words[word + 1] |= (uint)q[r * cols + k] >> (32 - shift);
            }
        float[] expected = Floats(tensor(q.Select(v => (float)v).ToArray(), [groups, group]).to_type(ScalarType.Float16)
            * tensor(scales, [groups, 1]).to_type(ScalarType.Float16) + tensor(biases, [groups, 1]).to_type(ScalarType.Float16));
        // mlx-lm writes the object twice: "quantization", and "quantization_config" (which names no quant_method).
        string own = $"{{\"group_size\": {group}, \"bits\": {bits}}}";
        string quantization = "{\"group_size\": 64, \"bits\": 4, \"" + Module + "\": " + own + "}";
        string config = "{\"quantization\": " + quantization + ", \"quantization_config\": " + quantization + "}";
        string path = Write("config.json", config,
            Raw(Weight, "U32", [rows, wordsPerRow], words.SelectMany(BitConverter.GetBytes).ToArray()),
            Raw(Module + ".scales", "F16", [rows, cols / group], scales.SelectMany(s => BitConverter.GetBytes((Half)s)).ToArray()),
            Raw(Module + ".biases", "F16", [rows, cols / group], biases.SelectMany(s => BitConverter.GetBytes((Half)s)).ToArray()),
            PlainWeight());

        var (decoded, signature, twin) = Read(path, Weight, [rows, cols], expected);

        BitEqual(decoded, expected);
        AssertLayersAndTwin(signature, twin, "MLX", [Module + ".scales", Module + ".biases"], Weight, Plain);
    }

    private static ModelFormatException Refused(string path)
    {
        var error = Assert.Throws<ModelFormatException>(() =>
        {
            using var source = new SafetensorsFileSource(path);
            foreach (var e in source.Tensors) e.Load(CPU, ScalarType.Float32).Dispose();
        });
        return error!;
    }

    [Test]
    public void AnNvfp4ScaleOfTheWrongShapeIsAnErrorNamingFileAndTensor()
    {
        string path = Write("hf_quant_config.json", """{"quantization": {"quant_algo": "NVFP4"}}""",
            Raw(Weight, "U8", [16, 32], new byte[16 * 32]), Raw(Module + ".weight_scale", "F8_E4M3", [16, 3], new byte[48]),
            Raw(Module + ".weight_scale_2", "F32", [], Bytes([1f])));

        var error = Refused(path);

        Assert.That((error.FilePath, error.Layer), Is.EqualTo((path, Module + ".weight_scale")));
        Assert.That(error.Message, Does.Contain("[16, 4]"));
    }

    [Test]
    public void AnMlxGroupThatDoesNotDivideTheRowAndAbsurdBitsAreErrorsNamingFileAndTensor()
    {
        string Mlx(int bits, int group, int packedCols) => Write("config.json", "{\"quantization\": " + $"{{\"group_size\": {group}, \"bits\": {bits}}}" + "}",
            Raw(Weight, "U32", [16, packedCols], new byte[16 * packedCols * 4]), Raw(Module + ".scales", "F16", [16, 2], new byte[64]), Raw(Module + ".biases", "F16", [16, 2], new byte[64]));
        string notDividing = Mlx(4, 64, 20); // 160 columns
        string absurd = Mlx(7, 64, 16);

        var a = Refused(notDividing);
        var b = Refused(absurd);

        Assert.Multiple(() =>
        {
            Assert.That((a.FilePath, a.Layer), Is.EqualTo((notDividing, Weight)));
            Assert.That(a.Message, Does.Contain("groups of 64"));
            Assert.That(b.FilePath, Is.EqualTo(Path.Combine(Path.GetDirectoryName(absurd)!, "config.json")));
            Assert.That(b.Layer, Is.EqualTo(Weight));
            Assert.That(b.Message, Does.Contain("bits 7"));
        });
    }

    [Test]
    public void ABitsAndBytesWeightShorterThanItsQuantStateAndMxfp4ScalesOfTheWrongShapeAreErrors()
    {
        byte[] state = Encoding.UTF8.GetBytes("""{"quant_type": "nf4", "blocksize": 64, "dtype": "float16", "shape": [16, 40]}""");
        string shortWeight = Write(null, null,
            Raw(Weight, "U8", [300, 1], new byte[300]), Raw(Weight + ".absmax", "F32", [10], new byte[40]),
            Raw(Weight + ".quant_map", "F32", [16], new byte[64]), Raw(Weight + ".quant_state.bitsandbytes__nf4", "U8", [state.Length], state));
        string badScales = Write(null, null,
            Raw("model.layers.0.mlp.experts.down_proj_blocks", "U8", [2, 16, 1, 16], new byte[512]),
            Raw("model.layers.0.mlp.experts.down_proj_scales", "U8", [2, 16], new byte[32]));

        var a = Refused(shortWeight);
        var b = Refused(badScales);

        Assert.Multiple(() =>
        {
            Assert.That((a.FilePath, a.Layer), Is.EqualTo((shortWeight, Weight)));
            Assert.That(a.Message, Does.Contain("320"));
            Assert.That((b.FilePath, b.Layer), Is.EqualTo((badScales, "model.layers.0.mlp.experts.down_proj_scales")));
        });
    }

    [Test]
    public void TheCliExitsWith2OnAContradictingCheckpoint()
    {
        string path = Write("hf_quant_config.json", """{"quantization": {"quant_algo": "NVFP4"}}""",
            Raw(Weight, "U8", [16, 32], new byte[16 * 32]), Raw(Module + ".weight_scale", "F8_E4M3", [16, 3], new byte[48]),
            Raw(Module + ".weight_scale_2", "F32", [], Bytes([1f])));

        var result = CliRunner.Run("inspect", path);

        Assert.That(result.ExitCode, Is.EqualTo(2), result.Output + result.Error);
        Assert.That(result.Error + result.Output, Does.Contain(Module + ".weight_scale"));
    }

    /// <summary>
    /// Seeded byte mutations of a checkpoint of each layout (header and data, the quant-state JSON included): every
    /// one reads to a signature or is the documented refusal, never another exception.
    /// </summary>
    [Test]
    public void MutatedCheckpointsOfEveryLayoutAreReadOrRefusedNeverACrash()
    {
        var p = Nvfp4DequantizerTests.Pack(81);
        var nf4 = BitsAndBytesDequantizerTests.PackNf4(16, 40, 82);
        byte[] state = Encoding.UTF8.GetBytes("""{"quant_type": "nf4", "blocksize": 64, "dtype": "float16", "shape": [16, 40]}""");
        var random = new Random(83);
        byte[] blocks = new byte[2 * 16 * 16];
        random.NextBytes(blocks);
        string[] checkpoints =
        [
            Write("hf_quant_config.json", """{"quantization": {"quant_algo": "NVFP4"}}""",
                Raw(Weight, "U8", [16, 32], p.Weight), Raw(Module + ".weight_scale", "F8_E4M3", [16, 4], p.Scales.Select(s => ToE4M3(s)).ToArray()),
                Raw(Module + ".weight_scale_2", "F32", [], Bytes([0.01f]))),
            Write(null, null, Raw("model.layers.0.mlp.experts.gate_up_proj_blocks", "U8", [2, 16, 1, 16], blocks),
                Raw("model.layers.0.mlp.experts.gate_up_proj_scales", "U8", [2, 16, 1], Enumerable.Repeat((byte)127, 32).ToArray())),
            Write(null, null, Raw(Weight, "U8", [nf4.Weight.Length, 1], nf4.Weight), Raw(Weight + ".absmax", "F32", [nf4.Absmax.Length], Bytes(nf4.Absmax)),
                Raw(Weight + ".quant_map", "F32", [16], Bytes(BitsAndBytesDequantizerTests.Nf4)), Raw(Weight + ".quant_state.bitsandbytes__nf4", "U8", [state.Length], state)),
            Write("config.json", """{"quantization": {"group_size": 32, "bits": 3}}""",
                Raw(Weight, "U32", [16, 12], Enumerable.Range(0, 16 * 12 * 4).Select(i => (byte)(i * 37)).ToArray()),
                Raw(Module + ".scales", "F16", [16, 4], Enumerable.Range(0, 128).Select(i => (byte)(i % 2 == 0 ? 0 : 0x3c)).ToArray()),
                Raw(Module + ".biases", "F16", [16, 4], new byte[128])),
        ];
        foreach (string path in checkpoints)
        {
            byte[] original = File.ReadAllBytes(path);
            for (int round = 0; round < 60; round++)
            {
                byte[] mutated = (byte[])original.Clone();
                int changes = 1 + random.Next(4);
                for (int c = 0; c < changes; c++)
                {
                    int at = random.Next(2) == 0 ? random.Next(Math.Min(mutated.Length, 600)) : random.Next(mutated.Length);
                    mutated[at] = (byte)random.Next(256);
                }
                File.WriteAllBytes(path, mutated);
                try
                {
                    using var source = new SafetensorsFileSource(path);
                    SpectralEngine.Compute(source, new SignatureOptions { Precision = SpectralGate.Engine.Spectra.SpectrumPrecision.Float32 });
                }
                catch (SpectralGateException) { }
                catch (Exception e)
                {
                    File.WriteAllBytes(path + ".crash", mutated);
                    Assert.Fail($"{Path.GetFileName(Path.GetDirectoryName(path))} round {round}: {e.GetType().Name}: {e.Message}\n{e.StackTrace}");
                }
            }
        }
    }
}
