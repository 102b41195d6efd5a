using Google.Protobuf;
using SpectralGate.Engine.Sources.Onnx.Proto;

namespace SpectralGate.Fuzz;

/// <summary>A small valid ONNX model: a raw-data initializer, a float_data one, and a Constant inside an If subgraph.</summary>
internal static class OnnxSeed
{
    public static byte[] Bytes()
    {
        var graph = new GraphProto { Name = "seed" };
        graph.Initializer.Add(Tensor("fc1.weight", [12, 8], raw: true));
        graph.Initializer.Add(Tensor("fc2.weight", [8, 12], raw: false));
        var branch = new GraphProto { Name = "then" };
        var constant = new NodeProto { OpType = "Constant", Name = "c" };
        constant.Output.Add("c_out");
        constant.Attribute.Add(new AttributeProto { Name = "value", Type = AttributeProto.Types.AttributeType.Tensor, T = Tensor("branch.weight", [8, 8], raw: true) });
        branch.Node.Add(constant);
        var node = new NodeProto { OpType = "If", Name = "if" };
        node.Attribute.Add(new AttributeProto { Name = "then_branch", Type = AttributeProto.Types.AttributeType.Graph, G = branch });
        graph.Node.Add(node);
        var model = new ModelProto { IrVersion = 9, Graph = graph };
        model.OpsetImport.Add(new OperatorSetIdProto { Version = 17 });
        return model.ToByteArray();
    }

    private static TensorProto Tensor(string name, long[] dims, bool raw)
    {
        int n = (int)(dims[0] * dims[1]);
        float[] values = Enumerable.Range(0, n).Select(i => MathF.Cos(i * 0.3f) * (1 + i % 3)).ToArray();
        var t = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Float };
        t.Dims.AddRange(dims);
        if (raw) t.RawData = ByteString.CopyFrom(values.SelectMany(BitConverter.GetBytes).ToArray());
        else t.FloatData.AddRange(values);
        return t;
    }
}
