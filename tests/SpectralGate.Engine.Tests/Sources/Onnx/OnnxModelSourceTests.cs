using Google.Protobuf;
using SpectralGate.Engine.Errors;
using SpectralGate.Engine.Sources;
using SpectralGate.Engine.Sources.Onnx;
using SpectralGate.Engine.Sources.Onnx.Proto;
using SpectralGate.Tests.Support;
using TorchSharp;
using static SpectralGate.Engine.Tests.Sources.Onnx.OnnxFixtures;

namespace SpectralGate.Engine.Tests.Sources.Onnx;

public class OnnxModelSourceTests
{
    private static double[] Values(TensorEntry e)
    {
        using var t = e.Load(torch.CPU, torch.ScalarType.Float64);
        return t.data<double>().ToArray();
    }

    [Test]
    public void InitializersInRawAndTypedFieldsOfEveryFloatType()
    {
        float[] v = [1f, -2f, 0.5f, 3.75f, -0.125f, 96f];
        var graph = new GraphProto { Name = "g" };
        graph.Initializer.Add(Float("raw", [2, 3], v));
        graph.Initializer.Add(Float("typed", [3, 2], v, raw: false));
        var d = new TensorProto { Name = "double", DataType = (int)TensorProto.Types.DataType.Double };
        d.Dims.AddRange([6]); d.DoubleData.AddRange(v.Select(x => (double)x));
        graph.Initializer.Add(d);
        var h = new TensorProto { Name = "half", DataType = (int)TensorProto.Types.DataType.Float16 };
        h.Dims.AddRange([2, 3]); h.Int32Data.AddRange(v.Select(x => (int)BitConverter.HalfToUInt16Bits((Half)x)));
        graph.Initializer.Add(h);
        var bf = new TensorProto { Name = "bf16", DataType = (int)TensorProto.Types.DataType.Bfloat16 };
        bf.Dims.AddRange([2, 3]); bf.RawData = ByteString.CopyFrom(v.SelectMany(x => BitConverter.GetBytes(TensorData.SingleToBFloat16(x))).ToArray());
        graph.Initializer.Add(bf);
        var ints = new TensorProto { Name = "ids", DataType = (int)TensorProto.Types.DataType.Int64 };
        ints.Dims.AddRange([2]); ints.Int64Data.AddRange([1, 2]);
        graph.Initializer.Add(ints);

        using var source = new OnnxModelSource(Write(graph));
        var entries = source.Tensors.ToDictionary(e => e.Name);
        double[] expected = v.Select(x => (double)x).ToArray();

        Assert.Multiple(() =>
        {
            foreach (string name in new[] { "raw", "typed", "double", "half", "bf16" })
                Assert.That(Values(entries[name]), Is.EqualTo(expected), name);
            Assert.That(entries["half"].DType, Is.EqualTo(TensorDType.Float16));
            Assert.That(entries["bf16"].DType, Is.EqualTo(TensorDType.BFloat16));
            Assert.That(entries["ids"].DType, Is.EqualTo(TensorDType.Unsupported));
            Assert.That(entries["ids"].StoredDType, Is.EqualTo("INT64"));
        });
    }

    [Test]
    public void ConstantNodesAndSubgraphsOfIfAndLoop()
    {
        var thenBranch = new GraphProto { Name = "then" };
        thenBranch.Initializer.Add(Float("w_then", [2, 2], Ramp(4)));
        var body = new GraphProto { Name = "body" };
        body.Node.Add(Constant("w_loop", Float("ignored", [2, 2], Ramp(4))));
        var graph = new GraphProto { Name = "main" };
        graph.Node.Add(Constant("const_out", Float("c", [2, 2], Ramp(4))));
        graph.Node.Add(WithSubgraph("If", "gate", "then_branch", thenBranch));
        graph.Node.Add(WithSubgraph("Loop", "", "body", body));

        using var source = new OnnxModelSource(Write(graph));

        Assert.That(source.Tensors.Select(t => t.Name), Is.EquivalentTo(new[] { "const_out", "gate/then_branch/w_then", "Loop#2/body/w_loop" }));
    }

    [Test]
    public void ExternalDataInsideTheFolderIsReadFromItsRange()
    {
        string folder = TestPaths.NewScratchFolder();
        float[] v = Ramp(6);
        File.WriteAllBytes(Path.Combine(folder, "weights.bin"), new byte[16].Concat(v.SelectMany(BitConverter.GetBytes)).ToArray());
        var graph = new GraphProto();
        graph.Initializer.Add(External("w", [2, 3], "weights.bin", 16, 24));

        using var source = new OnnxModelSource(Write(graph, folder));

        Assert.That(Values(source.Tensors.Single()), Is.EqualTo(v.Select(x => (double)x)));
    }

    private static TensorProto External(string name, long[] dims, string location, long offset, long length)
    {
        var t = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Float, DataLocation = TensorProto.Types.DataLocation.External };
        t.Dims.AddRange(dims);
        t.ExternalData.Add(new StringStringEntryProto { Key = "location", Value = location });
        t.ExternalData.Add(new StringStringEntryProto { Key = "offset", Value = offset.ToString() });
        t.ExternalData.Add(new StringStringEntryProto { Key = "length", Value = length.ToString() });
        return t;
    }

    private static ModelFormatException Refused(string path)
    {
        long before = GC.GetAllocatedBytesForCurrentThread();
        var e = Assert.Throws<ModelFormatException>(() =>
        {
            using var source = new OnnxModelSource(path);
            foreach (var t in source.Tensors) using (t.Load(torch.CPU, torch.ScalarType.Float32)) { }
        })!;
        Assert.That(e.Message, Does.StartWith(path));
        Assert.That(GC.GetAllocatedBytesForCurrentThread() - before, Is.LessThan(8 << 20));
        return e;
    }

    [TestCase("../escape.bin", "leaves the model's folder")]
    [TestCase("sub/../../escape.bin", "leaves the model's folder")]
    [TestCase("/etc/passwd", "absolute")]
    public void ExternalPathsThatLeaveTheFolderAreRefused(string location, string problem)
    {
        var graph = new GraphProto();
        graph.Initializer.Add(External("w", [2, 3], location, 0, 24));

        var e = Refused(Write(graph));

        Assert.That(e.Message, Does.Contain(problem));
        Assert.That(e.Layer, Is.EqualTo("w"));
    }

    [Test]
    public void ExternalRangesPastTheEndOrOfTheWrongLengthAreRefused()
    {
        string folder = TestPaths.NewScratchFolder();
        File.WriteAllBytes(Path.Combine(folder, "weights.bin"), new byte[24]);
        var past = new GraphProto();
        past.Initializer.Add(External("w", [2, 3], "weights.bin", 8, 24));
        var wrong = new GraphProto();
        wrong.Initializer.Add(External("w", [2, 3], "weights.bin", 0, 20));

        Assert.That(Refused(Write(past, folder)).Message, Does.Contain("past the end"));
        Assert.That(Refused(Write(wrong, TestPaths.NewScratchFolder())).Message, Does.Contain("not found").Or.Contain("does not match"));
    }

    [Test]
    public void DimensionProductOverflowAndDataSizeMismatch()
    {
        var overflow = new GraphProto();
        var t = new TensorProto { Name = "huge", DataType = (int)TensorProto.Types.DataType.Float, RawData = ByteString.CopyFrom(new byte[16]) };
        t.Dims.AddRange([1L << 40, 1L << 40]);
        overflow.Initializer.Add(t);
        var mismatch = new GraphProto();
        mismatch.Initializer.Add(Float("short", [3, 3], Ramp(4)));
        var terabyte = new GraphProto();
        var tb = new TensorProto { Name = "tb", DataType = (int)TensorProto.Types.DataType.Float, RawData = ByteString.CopyFrom(new byte[16]) };
        tb.Dims.AddRange([1L << 20, 1L << 18]);
        terabyte.Initializer.Add(tb);

        Assert.That(Refused(Write(overflow)).Message, Does.Contain("overflows"));
        Assert.That(Refused(Write(mismatch)).Message, Does.Contain("needs 36"));
        Assert.That(Refused(Write(terabyte)).Message, Does.Contain("needs"));
    }

    [Test]
    public void SubgraphsNestedBeyondTheLimitAreRefused()
    {
        var graph = new GraphProto();
        graph.Initializer.Add(Float("w", [2, 2], Ramp(4)));
        for (int i = 0; i < OnnxModelSource.MaxSubgraphDepth + 2; i++)
        {
            var outer = new GraphProto();
            outer.Node.Add(WithSubgraph("If", $"n{i}", "then_branch", graph));
            graph = outer;
        }

        // Protobuf's own recursion limit or ours: either way a clear refusal, not a stack overflow.
        Refused(Write(graph));
    }

    [Test]
    public void TruncatedAndRandomFilesAreRefused()
    {
        var graph = new GraphProto { Name = "g" };
        graph.Initializer.Add(Float("a", [8, 8], Ramp(64)));
        graph.Initializer.Add(Float("b", [8, 8], Ramp(64)));
        string good = Write(graph);
        byte[] bytes = File.ReadAllBytes(good);
        foreach (int cut in new[] { 1, 3, 10, bytes.Length / 2, bytes.Length - 1 })
        {
            string path = Path.Combine(Path.GetDirectoryName(good)!, $"cut{cut}.onnx");
            File.WriteAllBytes(path, bytes[..cut]);
            Refused(path);
        }
        var random = new Random(1);
        var garbage = new byte[4096];
        random.NextBytes(garbage);
        string noise = Path.Combine(Path.GetDirectoryName(good)!, "noise.onnx");
        File.WriteAllBytes(noise, garbage);
        Refused(noise);
    }
}
