using Google.Protobuf;
using SpectralGate.Engine.Sources.Onnx.Proto;
using SpectralGate.Tests.Support;

namespace SpectralGate.Engine.Tests.Sources.Onnx;

/// <summary>ONNX models built in C# with the generated protobuf classes (no Python).</summary>
internal static class OnnxFixtures
{
    public static TensorProto Float(string name, long[] dims, float[] values, bool raw = true)
    {
        var t = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Float };
        t.Dims.AddRange(dims);
        if (raw) t.RawData = ByteString.CopyFrom(values.SelectMany(BitConverter.GetBytes).ToArray());
        else t.FloatData.AddRange(values);
        return t;
    }

    public static NodeProto Constant(string output, TensorProto value)
    {
        var node = new NodeProto { OpType = "Constant" };
        node.Output.Add(output);
        node.Attribute.Add(new AttributeProto { Name = "value", Type = AttributeProto.Types.AttributeType.Tensor, T = value });
        return node;
    }

    public static NodeProto WithSubgraph(string opType, string name, string attribute, GraphProto graph)
    {
        var node = new NodeProto { OpType = opType, Name = name };
        node.Attribute.Add(new AttributeProto { Name = attribute, Type = AttributeProto.Types.AttributeType.Graph, G = graph });
        return node;
    }

    public static string Write(GraphProto graph, string? folder = null)
    {
        var model = new ModelProto { IrVersion = 9, Graph = graph };
        model.OpsetImport.Add(new OperatorSetIdProto { Version = 17 });
        string path = Path.Combine(folder ?? TestPaths.NewScratchFolder(), "model.onnx");
        File.WriteAllBytes(path, model.ToByteArray());
        return path;
    }

    public static float[] Ramp(int n) => Enumerable.Range(0, n).Select(i => (i - n / 2) * 0.125f).ToArray();
}
