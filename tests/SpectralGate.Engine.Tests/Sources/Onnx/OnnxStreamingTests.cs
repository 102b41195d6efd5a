using Google.Protobuf;
using SpectralGate.Engine.Sources.Onnx;
using SpectralGate.Engine.Sources.Onnx.Proto;
using SpectralGate.Tests.Support;
using TorchSharp;
using static SpectralGate.Engine.Tests.Sources.Onnx.OnnxFixtures;

namespace SpectralGate.Engine.Tests.Sources.Onnx;

/// <summary>
/// The streaming ONNX reader: opening a model reads its structure, not its weights (allocations far below the file's
/// size), and what it reads equals what Google.Protobuf's full parse holds, however the fields are encoded.
/// </summary>
public class OnnxStreamingTests
{
    private static float[] Loaded(OnnxModelSource source, string name)
    {
        using var t = source.Tensors.Single(e => e.Name == name).Load(torch.CPU, torch.ScalarType.Float32);
        return t.data<float>().ToArray();
    }

    [Test]
    public void OpeningAModelAllocatesItsStructureNotItsWeights()
    {
        // 8 initializers of 1 MiB each.
        var graph = new GraphProto { Name = "big" };
        for (int i = 0; i < 8; i++) graph.Initializer.Add(Float($"layer{i}.weight", [512, 512], Enumerable.Range(0, 512 * 512).Select(j => (j % 97 - 48) * 0.01f * (i + 1)).ToArray()));
        string path = Write(graph);
        Assert.That(new FileInfo(path).Length, Is.GreaterThan(8L << 20));

        long before = GC.GetAllocatedBytesForCurrentThread();
        using var source = new OnnxModelSource(path);
        long opened = GC.GetAllocatedBytesForCurrentThread() - before;
        var names = source.Tensors.Select(t => t.Name).ToList();

        Assert.That(opened, Is.LessThan(1L << 20), "opening read the weights");
        Assert.That(names, Is.EqualTo(Enumerable.Range(0, 8).Select(i => $"layer{i}.weight")));
        Assert.That(Loaded(source, "layer5.weight"), Is.EqualTo(graph.Initializer[5].RawData.ToByteArray().Chunk(4).Select(b => BitConverter.ToSingle(b))));
    }

    [Test]
    public void UnpackedRepeatedFieldsAndARepeatedGraphFieldReadAsProtobufParsesThem()
    {
        // A TensorProto written by hand: dims and float_data unpacked (one tag per element), the name last.
        var tensor = new MemoryStream();
        var t = new CodedOutputStream(tensor);
        foreach (long d in new long[] { 3, 4 }) { t.WriteTag(1, WireFormat.WireType.Varint); t.WriteInt64(d); }
        t.WriteTag(2, WireFormat.WireType.Varint); t.WriteInt32((int)TensorProto.Types.DataType.Float);
        for (int i = 0; i < 12; i++) { t.WriteTag(4, WireFormat.WireType.Fixed32); t.WriteFloat(i * 0.5f - 2); }
        t.WriteTag(8, WireFormat.WireType.LengthDelimited); t.WriteString("unpacked");
        t.Flush();
        var first = new MemoryStream();
        var g1 = new CodedOutputStream(first);
        g1.WriteTag(5, WireFormat.WireType.LengthDelimited); g1.WriteBytes(ByteString.CopyFrom(tensor.ToArray()));
        g1.Flush();
        var second = new GraphProto();
        second.Initializer.Add(Float("second", [2, 2], [1, 2, 3, 4]));
        var model = new MemoryStream();
        var m = new CodedOutputStream(model);
        m.WriteTag(1, WireFormat.WireType.Varint); m.WriteInt64(9);
        m.WriteTag(7, WireFormat.WireType.LengthDelimited); m.WriteBytes(ByteString.CopyFrom(first.ToArray()));
        m.WriteTag(7, WireFormat.WireType.LengthDelimited); m.WriteBytes(second.ToByteString());
        m.Flush();
        string path = Path.Combine(TestPaths.NewScratchFolder(), "handmade.onnx");
        File.WriteAllBytes(path, model.ToArray());
        var parsed = ModelProto.Parser.ParseFrom(model.ToArray());

        using var source = new OnnxModelSource(path);

        Assert.That(source.Tensors.Select(e => e.Name), Is.EqualTo(parsed.Graph.Initializer.Select(i => i.Name)));
        Assert.That(source.Tensors.First().Shape, Is.EqualTo(new long[] { 3, 4 }));
        Assert.That(Loaded(source, "unpacked"), Is.EqualTo(parsed.Graph.Initializer[0].FloatData));
        Assert.That(Loaded(source, "second"), Is.EqualTo(new float[] { 1, 2, 3, 4 }));
    }

    [Test]
    public void AnExternalTensorOver2GiBIsReadFromASparseFileWithEveryValueInPlace()
    {
        // 32769 x 16384 floats, 2 GiB + 64 KiB, in a sparse data file: only the marked values are written.
        long[] shape = [32769, 16384];
        long bytes = 32769L * 16384 * 4;
        string folder = TestPaths.NewScratchFolder();
        var marks = new Dictionary<long, float> { [0] = 1.5f, [(1L << 29) + 3] = -2.25f, [32769L * 16384 - 1] = 7.5f };
        using (var data = new FileStream(Path.Combine(folder, "model.onnx.data"), FileMode.CreateNew, FileAccess.Write))
        {
            data.SetLength(64 + bytes);
            foreach (var (index, value) in marks)
            {
                data.Position = 64 + index * 4;
                data.Write(BitConverter.GetBytes(value));
            }
        }
        var t = new TensorProto { Name = "embed_tokens.weight", DataType = (int)TensorProto.Types.DataType.Float, DataLocation = TensorProto.Types.DataLocation.External };
        t.Dims.AddRange(shape);
        t.ExternalData.Add(new StringStringEntryProto { Key = "location", Value = "model.onnx.data" });
        t.ExternalData.Add(new StringStringEntryProto { Key = "offset", Value = "64" });
        var graph = new GraphProto();
        graph.Initializer.Add(t);

        using var source = new OnnxModelSource(Write(graph, folder));
        using var loaded = source.Tensors.Single().Load(torch.CPU, torch.ScalarType.Float32);
        using var flat = loaded.reshape(-1);

        Assert.That(loaded.shape, Is.EqualTo(shape));
        foreach (var (index, value) in marks) Assert.That(flat[index].item<float>(), Is.EqualTo(value), $"element {index}");
    }

    [Test]
    public void AModelThatShrankAfterOpeningIsRefusedNamingTheTensor()
    {
        var graph = new GraphProto();
        graph.Initializer.Add(Float("w", [16, 16], Ramp(256)));
        string path = Write(graph);
        using var source = new OnnxModelSource(path);
        File.WriteAllBytes(path, File.ReadAllBytes(path)[..100]);

        var e = Assert.Throws<SpectralGate.Engine.Errors.ModelFormatException>(() => source.Tensors.Single().Load(torch.CPU, torch.ScalarType.Float32))!;

        Assert.That(e.Layer, Is.EqualTo("w"));
        Assert.That(e.Message, Does.Contain("shrank"));
    }
}
