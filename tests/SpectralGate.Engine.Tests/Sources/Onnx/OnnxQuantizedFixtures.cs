using Google.Protobuf;
using SpectralGate.Engine.Sources.Onnx.Proto;
using DataType = SpectralGate.Engine.Sources.Onnx.Proto.TensorProto.Types.DataType;

namespace SpectralGate.Engine.Tests.Sources.Onnx;

/// <summary>Quantized ONNX weights written from C#: integer initializers (4-bit ones packed low nibble first) and the nodes that use them.</summary>
internal static class OnnxQuantizedFixtures
{
    /// <summary>An integer initializer of 4, 8 or 16 bits in raw_data, or one value per int32_data entry.</summary>
    public static TensorProto Integers(string name, DataType type, long[] dims, int[] values, bool raw = true)
    {
        var t = new TensorProto { Name = name, DataType = (int)type };
        t.Dims.AddRange(dims);
        if (type is DataType.Int4 or DataType.Uint4)
        {
            byte[] packed = Pack(values, 4);
            if (raw) t.RawData = ByteString.CopyFrom(packed);
            else t.Int32Data.AddRange(packed.Select(b => (int)b));
        }
        else if (!raw) t.Int32Data.AddRange(values);
        else
        {
            int size = type is DataType.Int16 or DataType.Uint16 ? 2 : 1;
            t.RawData = ByteString.CopyFrom(values.SelectMany(v => BitConverter.GetBytes(v).Take(size)).ToArray());
        }
        return t;
    }

    /// <summary>Codes of <paramref name="bits"/> bits packed low bits first, as ONNX's 4-bit types and MatMulNBits store them.</summary>
    public static byte[] Pack(int[] values, int bits)
    {
        int perByte = 8 / bits;
        var bytes = new byte[(values.Length + perByte - 1) / perByte];
        for (int i = 0; i < values.Length; i++) bytes[i / perByte] |= (byte)((values[i] & ((1 << bits) - 1)) << (bits * (i % perByte)));
        return bytes;
    }

    public static NodeProto Node(string opType, string[] inputs, string output, string domain = "", params (string Name, long Value)[] attributes)
    {
        var node = new NodeProto { OpType = opType, Domain = domain };
        node.Input.AddRange(inputs);
        node.Output.Add(output);
        foreach (var (name, value) in attributes)
            node.Attribute.Add(new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = value });
        return node;
    }

    public static TensorProto Bytes(string name, long[] dims, byte[] data)
    {
        var t = new TensorProto { Name = name, DataType = (int)DataType.Uint8, RawData = ByteString.CopyFrom(data) };
        t.Dims.AddRange(dims);
        return t;
    }

    /// <summary>Reproducible integers in [low, high].</summary>
    public static int[] Codes(int count, int low, int high, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count).Select(_ => random.Next(low, high + 1)).ToArray();
    }

    /// <summary>Reproducible positive scales, exact in float32.</summary>
    public static float[] Scales(int count, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count).Select(_ => (float)(0.001 + random.NextDouble() * 0.05)).ToArray();
    }
}
