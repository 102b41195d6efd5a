using Google.Protobuf;
using SpectralGate.Engine.Sources.Onnx.Proto;
using DataType = SpectralGate.Engine.Sources.Onnx.Proto.TensorProto.Types.DataType;

namespace SpectralGate.Fuzz;

/// <summary>
/// A small valid quantized ONNX model for the onnx target: an int8 per-axis and a uint4 blocked DequantizeLinear, and a
/// MatMulNBits weight with packed zero points, so that mutations reach every decoder's checks.
/// </summary>
internal static class QuantizedOnnxSeed
{
    public static byte[] Bytes()
    {
        var graph = new GraphProto { Name = "quantized" };
        graph.Initializer.Add(Codes("fc1.weight_quantized", DataType.Int8, [12, 8], Enumerable.Range(0, 96).Select(i => (byte)(i * 37)).ToArray()));
        graph.Initializer.Add(Floats("fc1.weight_scale", [8], 0.01f));
        graph.Initializer.Add(Codes("fc1.weight_zero_point", DataType.Int8, [8], new byte[8]));
        graph.Node.Add(Node("DequantizeLinear", ["fc1.weight_quantized", "fc1.weight_scale", "fc1.weight_zero_point"], []));

        graph.Initializer.Add(Codes("blk", DataType.Uint4, [8, 16], Enumerable.Range(0, 64).Select(i => (byte)(i * 11)).ToArray()));
        graph.Initializer.Add(Floats("blk_scale", [8, 2], 0.5f));
        graph.Node.Add(Node("DequantizeLinear", ["blk", "blk_scale"], [("axis", 1), ("block_size", 8)]));

        graph.Initializer.Add(Codes("proj.weight_Q4", DataType.Uint8, [8, 2, 8], Enumerable.Range(0, 128).Select(i => (byte)(i * 53)).ToArray()));
        graph.Initializer.Add(Floats("proj.weight_scales", [16], 0.25f));
        graph.Initializer.Add(Codes("proj.weight_zero_points", DataType.Uint8, [8], Enumerable.Repeat((byte)0x88, 8).ToArray()));
        var nbits = Node("MatMulNBits", ["x", "proj.weight_Q4", "proj.weight_scales", "proj.weight_zero_points"], [("K", 32), ("N", 8), ("bits", 4), ("block_size", 16)]);
        nbits.Domain = "com.microsoft";
        graph.Node.Add(nbits);

        var model = new ModelProto { IrVersion = 10, Graph = graph };
        model.OpsetImport.Add(new OperatorSetIdProto { Version = 21 });
        return model.ToByteArray();
    }

    private static NodeProto Node(string op, string[] inputs, (string Name, long Value)[] attributes)
    {
        var node = new NodeProto { OpType = op };
        node.Input.AddRange(inputs);
        node.Output.Add(op + "_out_" + inputs[^1]);
        foreach (var (name, value) in attributes)
            node.Attribute.Add(new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = value });
        return node;
    }

    private static TensorProto Codes(string name, DataType type, long[] dims, byte[] raw)
    {
        var t = new TensorProto { Name = name, DataType = (int)type, RawData = ByteString.CopyFrom(raw) };
        t.Dims.AddRange(dims);
        return t;
    }

    private static TensorProto Floats(string name, long[] dims, float value)
    {
        long n = dims.Aggregate(1L, (a, b) => a * b);
        var t = new TensorProto { Name = name, DataType = (int)DataType.Float };
        t.Dims.AddRange(dims);
        t.FloatData.AddRange(Enumerable.Range(0, (int)n).Select(i => value * (1 + i % 3)));
        return t;
    }
}
