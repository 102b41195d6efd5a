using SpectralGate.Engine.Errors;
using SpectralGate.Engine.Signatures;
using SpectralGate.Engine.Sources;
using SpectralGate.Engine.Sources.Onnx;
using SpectralGate.Engine.Sources.Onnx.Proto;
using TorchSharp;
using static SpectralGate.Engine.Tests.Sources.Onnx.OnnxFixtures;
using static SpectralGate.Engine.Tests.Sources.Onnx.OnnxQuantizedFixtures;
using DataType = SpectralGate.Engine.Sources.Onnx.Proto.TensorProto.Types.DataType;

namespace SpectralGate.Engine.Tests.Sources.Onnx;

/// <summary>
/// Quantized ONNX weights against their float twins: each expected weight is worked here from the operator's
/// definition, w = (q - zero_point) * scale rounded to float32, and written as a float model; the dequantized weight and
/// every metric of its signature must equal the twin's exactly.
/// </summary>
public class OnnxQuantizedWeightTests
{
    private static float[] Loaded(TensorEntry entry)
    {
        using var t = entry.Load(torch.CPU, torch.ScalarType.Float32);
        return t.data<float>().ToArray();
    }

    /// <summary>The quantized model's entry named <paramref name="name"/> holds <paramref name="expected"/>, and its signature is the float twin's.</summary>
    private static void AssertTwin(GraphProto quantized, string name, long[] shape, float[] expected)
    {
        var twin = new GraphProto { Name = "twin" };
        twin.Initializer.Add(Float(name, shape, expected));
        using var q = new OnnxModelSource(Write(quantized));
        using var f = new OnnxModelSource(Write(twin));
        TensorEntry entry = q.Tensors.Single(t => t.Name == name);
        LayerSignature ql = SpectralEngine.Compute(q).Layers.Single(l => l.Name == name);
        LayerSignature fl = SpectralEngine.Compute(f).Layers.Single();

        Assert.Multiple(() =>
        {
            Assert.That(entry.Shape, Is.EqualTo(shape));
            Assert.That(Loaded(entry), Is.EqualTo(expected));
            Assert.That(ql.Shape, Is.EqualTo(fl.Shape));
            Assert.That(ql.Metrics, Is.EqualTo(fl.Metrics));
        });
    }

    [Test]
    public void Int8PerAxisDequantizeLinearEqualsItsFloatTwinUnderTheWeightsName()
    {
        int[] q = Codes(24 * 16, -128, 127, 1);
        float[] scale = Scales(16, 2);
        int[] zero = Codes(16, -5, 5, 3);
        var graph = new GraphProto { Name = "q" };
        graph.Initializer.Add(Integers("fc.weight_quantized", DataType.Int8, [24, 16], q));
        graph.Initializer.Add(Float("fc.weight_scale", [16], scale));
        graph.Initializer.Add(Integers("fc.weight_zero_point", DataType.Int8, [16], zero, raw: false));
        graph.Node.Add(Node("DequantizeLinear", ["fc.weight_quantized", "fc.weight_scale", "fc.weight_zero_point"], "fc.weight_dq")); // axis 1 by default
        float[] expected = q.Select((v, i) => (v - zero[i % 16]) * scale[i % 16]).ToArray();

        AssertTwin(graph, "fc.weight", [24, 16], expected);

        using var source = new OnnxModelSource(Write(graph));
        var signature = SpectralEngine.Compute(source);
        Assert.That(signature.Skipped.Select(s => (s.Name, s.Reason)), Is.EquivalentTo(new[]
        {
            ("fc.weight_scale", "scale of quantized weight 'fc.weight_quantized'"),
            ("fc.weight_zero_point", "zero point of quantized weight 'fc.weight_quantized'"),
        }));
    }

    [Test]
    public void Uint8PerTensorInTypedFieldsAndInt16PerAxisOnAxisZero()
    {
        int[] q = Codes(12 * 20, 0, 255, 4);
        var graph = new GraphProto();
        graph.Initializer.Add(Integers("w", DataType.Uint8, [12, 20], q, raw: false));
        graph.Initializer.Add(Float("s", [], [0.0125f]));
        graph.Initializer.Add(Integers("z", DataType.Uint8, [], [131]));
        graph.Node.Add(Node("DequantizeLinear", ["w", "s", "z"], "w_dq"));

        AssertTwin(graph, "w", [12, 20], q.Select(v => (v - 131) * 0.0125f).ToArray());

        int[] wide = Codes(10 * 9, -30000, 30000, 5);
        float[] rows = Scales(10, 6);
        var axis0 = new GraphProto();
        axis0.Initializer.Add(Integers("w16", DataType.Int16, [10, 9], wide));
        axis0.Initializer.Add(Float("s16", [10], rows));
        axis0.Node.Add(Node("DequantizeLinear", ["w16", "s16"], "o", attributes: ("axis", -2)));

        AssertTwin(axis0, "w16", [10, 9], wide.Select((v, i) => v * rows[i / 9]).ToArray());
    }

    [Test]
    public void Int4AndUint4BlockedDequantizeLinearOfOpset21()
    {
        // [16, 30] in blocks of 8 along axis 1: 4 blocks a row, the last one of 6.
        int[] q = Codes(16 * 30, 0, 15, 7);
        float[] scale = Scales(16 * 4, 8);
        int[] zero = Codes(16 * 4, 0, 15, 9);
        var graph = new GraphProto();
        graph.Initializer.Add(Integers("blk.weight", DataType.Uint4, [16, 30], q));
        graph.Initializer.Add(Float("blk.scale", [16, 4], scale));
        graph.Initializer.Add(Integers("blk.zero", DataType.Uint4, [16, 4], zero, raw: false));
        graph.Node.Add(Node("DequantizeLinear", ["blk.weight", "blk.scale", "blk.zero"], "o", attributes: [("axis", 1), ("block_size", 8)]));
        float[] expected = q.Select((v, i) => (v - zero[i / 30 * 4 + i % 30 / 8]) * scale[i / 30 * 4 + i % 30 / 8]).ToArray();

        AssertTwin(graph, "blk.weight", [16, 30], expected);

        int[] signed = Codes(9 * 11, -8, 7, 10); // an odd count: the last byte is half used
        var int4 = new GraphProto();
        int4.Initializer.Add(Integers("s4", DataType.Int4, [9, 11], signed));
        int4.Initializer.Add(Float("s4.scale", [1], [0.5f]));
        int4.Node.Add(Node("DequantizeLinear", ["s4", "s4.scale"], "o"));

        AssertTwin(int4, "s4", [9, 11], signed.Select(v => v * 0.5f).ToArray());
    }

    [Test]
    public void ABlockLongerThanItsAxisIsOneBlockAndStaysSmall()
    {
        int[] q = Codes(16 * 8, -128, 127, 22);
        float[] rows = Scales(16, 23);
        var graph = new GraphProto();
        graph.Initializer.Add(Integers("w", DataType.Int8, [16, 8], q));
        graph.Initializer.Add(Float("s", [16, 1], rows));
        graph.Node.Add(Node("DequantizeLinear", ["w", "s"], "o", attributes: [("axis", 1), ("block_size", 1L << 40)]));

        AssertTwin(graph, "w", [16, 8], q.Select((v, i) => v * rows[i / 8]).ToArray());
    }

    [TestCase(true)]
    [TestCase(false)]
    public void MatMulNBitsInt4BlocksEqualTheFloatMatMulWeight(bool withZeroPoints)
    {
        const int k = 40, n = 12, block = 16, blocks = 3; // K is not a multiple of the block: the last block is padded
        int[] codes = Codes(n * blocks * block, 0, 15, 11);
        float[] scale = Scales(n * blocks, 12);
        int[] zero = Codes(n * blocks, 0, 15, 13);
        var graph = new GraphProto();
        graph.Initializer.Add(Bytes("proj.weight_Q4", [n, blocks, block / 2], Pack(codes, 4)));
        graph.Initializer.Add(Float("proj.weight_scales", [n * blocks], scale));
        // Packed per row: 3 zero points take 2 bytes, the last nibble unused.
        byte[] zeroBytes = Enumerable.Range(0, n).SelectMany(r => Pack(zero[(r * blocks)..((r + 1) * blocks)], 4)).ToArray();
        graph.Initializer.Add(Bytes("proj.weight_zero_points", [n * 2], zeroBytes));
        string[] inputs = withZeroPoints ? ["x", "proj.weight_Q4", "proj.weight_scales", "proj.weight_zero_points"] : ["x", "proj.weight_Q4", "proj.weight_scales"];
        graph.Node.Add(Node("MatMulNBits", inputs, "y", "com.microsoft", ("K", k), ("N", n), ("bits", 4), ("block_size", block)));

        // MatMul's B is [K, N]; MatMulNBits stores row n of B^T, so B[kk, nn] comes from codes[nn, kk].
        var expected = new float[k * n];
        for (int kk = 0; kk < k; kk++)
            for (int nn = 0; nn < n; nn++)
            {
                int b = nn * blocks + kk / block;
                expected[kk * n + nn] = (codes[nn * blocks * block + kk] - (withZeroPoints ? zero[b] : 8)) * scale[b];
            }

        AssertTwin(graph, "proj.weight", [k, n], expected);
    }

    [Test]
    public void QLinearMatMulQLinearConvAndMatMulIntegerWeights()
    {
        int[] b = Codes(16 * 10, -100, 100, 14);
        float[] columns = Scales(10, 15);
        var matmul = new GraphProto();
        matmul.Initializer.Add(Integers("b", DataType.Int8, [16, 10], b));
        matmul.Initializer.Add(Float("b_scale", [10], columns));
        matmul.Initializer.Add(Integers("b_zp", DataType.Int8, [10], new int[10]));
        matmul.Node.Add(Node("QLinearMatMul", ["a", "a_s", "a_z", "b", "b_scale", "b_zp", "y_s", "y_z"], "y"));
        AssertTwin(matmul, "b", [16, 10], b.Select((v, i) => v * columns[i % 10]).ToArray());

        int[] w = Codes(8 * 9 * 3 * 3, 0, 255, 16);
        float[] channels = Scales(8, 17);
        var conv = new GraphProto();
        conv.Initializer.Add(Integers("conv.w", DataType.Uint8, [8, 9, 3, 3], w));
        conv.Initializer.Add(Float("conv.w_scale", [8], channels));
        conv.Initializer.Add(Integers("conv.w_zp", DataType.Uint8, [8], Enumerable.Repeat(128, 8).ToArray()));
        conv.Node.Add(Node("QLinearConv", ["x", "x_s", "x_z", "conv.w", "conv.w_scale", "conv.w_zp", "y_s", "y_z"], "y"));
        AssertTwin(conv, "conv.w", [8, 9, 3, 3], w.Select((v, i) => (v - 128) * channels[i / 81]).ToArray());

        int[] ints = Codes(12 * 14, 0, 255, 18);
        int[] zp = Codes(14, 100, 150, 19);
        var integer = new GraphProto();
        integer.Initializer.Add(Integers("mm.weight_quantized", DataType.Uint8, [12, 14], ints));
        integer.Initializer.Add(Integers("mm.weight_zero_point", DataType.Uint8, [14], zp));
        integer.Node.Add(Node("MatMulInteger", ["a", "mm.weight_quantized", "a_zp", "mm.weight_zero_point"], "y"));
        AssertTwin(integer, "mm.weight", [12, 14], ints.Select((v, i) => (float)(v - zp[i % 14])).ToArray());
    }

    [Test]
    public void ASuffixThatWouldCollideIsKept()
    {
        var graph = new GraphProto();
        graph.Initializer.Add(Float("w", [8, 8], Ramp(64)));
        graph.Initializer.Add(Integers("w_quantized", DataType.Int8, [8, 8], Codes(64, -9, 9, 20)));
        graph.Initializer.Add(Float("s", [], [1f]));
        graph.Node.Add(Node("DequantizeLinear", ["w_quantized", "s"], "o"));

        using var source = new OnnxModelSource(Write(graph));

        Assert.That(source.Tensors.Select(t => t.Name), Is.EqualTo(new[] { "w", "w_quantized", "s" }));
    }

    [Test]
    public void AWeightWhoseScaleIsComputedAtRunTimeIsSkippedWithItsReason()
    {
        var graph = new GraphProto();
        graph.Initializer.Add(Integers("w", DataType.Int8, [16, 16], Codes(256, -9, 9, 21)));
        graph.Node.Add(Node("DequantizeLinear", ["w", "runtime_scale"], "o"));
        graph.Initializer.Add(Float("float.weight", [16, 16], Ramp(256)));

        using var source = new OnnxModelSource(Write(graph));
        var signature = SpectralEngine.Compute(source);

        Assert.That(signature.Skipped.Single(), Is.EqualTo(new SkippedTensor("w", [16, 16], "DequantizeLinear scale 'runtime_scale' is not a constant of the model")).Using<SkippedTensor>((a, b) => a.Name == b.Name && a.Reason == b.Reason && a.Shape.SequenceEqual(b.Shape)));
        Assert.That(signature.Layers.Select(l => l.Name), Is.EqualTo(new[] { "float.weight" }));
    }

    private static GraphProto Dequantize(TensorProto codes, TensorProto scale, TensorProto? zero, params (string, long)[] attributes)
    {
        var graph = new GraphProto();
        graph.Initializer.Add(codes);
        graph.Initializer.Add(scale);
        if (zero is not null) graph.Initializer.Add(zero);
        graph.Node.Add(Node("DequantizeLinear", zero is null ? [codes.Name, scale.Name] : [codes.Name, scale.Name, zero.Name], "o", attributes: attributes));
        return graph;
    }

    private static GraphProto NBits(long k, long n, long block, long[] bShape, long[] scaleShape, TensorProto? zero = null, long bits = 4)
    {
        var graph = new GraphProto();
        graph.Initializer.Add(Bytes("B", bShape, new byte[bShape.Aggregate(1L, (a, c) => a * c)]));
        graph.Initializer.Add(Float("S", scaleShape, new float[scaleShape.Aggregate(1L, (a, c) => a * c)]));
        if (zero is not null) graph.Initializer.Add(zero);
        graph.Node.Add(Node("MatMulNBits", zero is null ? ["x", "B", "S"] : ["x", "B", "S", zero.Name], "y", "com.microsoft", ("K", k), ("N", n), ("bits", bits), ("block_size", block)));
        return graph;
    }

    public static IEnumerable<TestCaseData> Malformed()
    {
        TensorProto W() => Integers("w", DataType.Int8, [16, 8], new int[128]);
        yield return new TestCaseData(Dequantize(W(), Float("s", [8], new float[8]), Integers("z", DataType.Uint8, [8], new int[8])), "must be the same type").SetName("ZeroPointOfAnotherType");
        yield return new TestCaseData(Dequantize(W(), Float("s", [8], new float[8]), Integers("z", DataType.Int8, [4], new int[4])), "differs from scale shape").SetName("ZeroPointOfAnotherShape");
        yield return new TestCaseData(Dequantize(W(), Float("s", [7], new float[7]), null), "neither one scale nor one per index").SetName("ScaleOfTheWrongLength");
        yield return new TestCaseData(Dequantize(W(), Integers("s", DataType.Int8, [8], new int[8]), null), "not a float type").SetName("IntegerScale");
        yield return new TestCaseData(Dequantize(W(), Float("s", [8], new float[8]), null, ("axis", 5)), "outside the weight's rank").SetName("AxisOutOfRange");
        yield return new TestCaseData(Dequantize(W(), Float("s", [16, 3], new float[48]), null, ("axis", 1), ("block_size", 4)), "one scale per block of 4").SetName("BlockScalesOfTheWrongShape");
        yield return new TestCaseData(Dequantize(W(), Float("s", [16, 2], new float[32]), null, ("axis", 1), ("block_size", -4)), "negative").SetName("NegativeBlockSize");
        yield return new TestCaseData(NBits(32, 8, 12, [8, 3, 6], [24]), "power of two").SetName("NBitsBlockSizeNotAPowerOfTwo");
        yield return new TestCaseData(NBits(32, 8, 16, [8, 2, 9], [16]), "need UINT8 [8, 2, 8]").SetName("NBitsBOfTheWrongShape");
        yield return new TestCaseData(NBits(1L << 40, 1L << 40, 16, [8, 2, 8], [16]), "need UINT8").SetName("NBitsAbsurdDimensions");
        yield return new TestCaseData(NBits(32, 8, 16, [8, 2, 8], [15]), "one per row and block").SetName("NBitsScalesOfTheWrongCount");
        yield return new TestCaseData(NBits(32, 8, 16, [8, 2, 8], [16], Bytes("Z", [3], new byte[3])), "packed 4-bit").SetName("NBitsZeroPointsOfTheWrongCount");
        yield return new TestCaseData(NBits(32, 8, 16, [8, 2, 8], [16], bits: 12), "outside 2..8").SetName("NBitsBitsOutOfRange");
    }

    [TestCaseSource(nameof(Malformed))]
    public void MalformedQuantizationIsRefusedNamingTheWeight(object model, string problem)
    {
        var graph = (GraphProto)model; // GraphProto is internal to the library, so the case holds it as object
        string path = Write(graph);

        var e = Assert.Throws<ModelFormatException>(() => new OnnxModelSource(path).Dispose())!;

        Assert.That(e.Message, Does.StartWith(path).And.Contain(problem));
        Assert.That(e.Layer, Is.EqualTo(graph.Initializer[0].Name));
    }
}
