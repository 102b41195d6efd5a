using SpectralGate.Engine.Errors;
using SpectralGate.Engine.Sources.Onnx.Proto;
using DataType = SpectralGate.Engine.Sources.Onnx.Proto.TensorProto.Types.DataType;

namespace SpectralGate.Engine.Sources.Onnx;

/// <summary>A node of the model with the name prefixes of the graphs it can see, innermost first (outer-scope names resolve outwards).</summary>
internal sealed record OnnxNodeInScope(NodeProto Node, string[] Scopes);

/// <summary>
/// Finds the quantized weights of an ONNX model: integer initializers that feed <c>DequantizeLinear</c>,
/// <c>MatMulNBits</c>, <c>QLinearMatMul</c>, <c>QLinearConv</c> or <c>MatMulInteger</c>. A malformed one (a scale or
/// zero point whose shape or type the operator forbids, a bad block size) is refused naming the tensor; a valid one
/// this reader does not decode (a scale computed at run time, 3-bit codes, act-order <c>g_idx</c>) is reported as
/// undecodable with its reason, so that it is listed as skipped. Scales and zero points are listed as skipped too.
/// </summary>
internal sealed class OnnxQuantizedWeights
{
    /// <summary>Suffixes ONNX Runtime's quantizers give a quantized weight: quantize_static/dynamic, and the MatMulNBits quantizer.</summary>
    private static readonly string[] QuantizerSuffixes = ["_quantized", "_Q2", "_Q4", "_Q8"];

    private readonly string _path;
    private readonly IReadOnlyList<OnnxTensorInfo> _tensors;
    private readonly Dictionary<string, int> _byName = new(StringComparer.Ordinal);
    private readonly HashSet<string> _names = new(StringComparer.Ordinal);

    private OnnxQuantizedWeights(string path, IReadOnlyList<OnnxTensorInfo> tensors)
    {
        _path = path;
        _tensors = tensors;
        for (int i = 0; i < tensors.Count; i++)
        {
            _byName.TryAdd(tensors[i].Name, i);
            _names.Add(tensors[i].Name);
        }
    }

    /// <summary>Quantized weights by the index of their integer initializer.</summary>
    public Dictionary<int, OnnxQuantizedWeight> Weights { get; } = [];

    /// <summary>Why a tensor is not analysed: an undecodable quantized weight, or the scale or zero point of one.</summary>
    public Dictionary<int, string> Undecodable { get; } = [];

    public static OnnxQuantizedWeights Find(string path, IReadOnlyList<OnnxTensorInfo> tensors, IEnumerable<OnnxNodeInScope> nodes)
    {
        var found = new OnnxQuantizedWeights(path, tensors);
        foreach (var (node, scopes) in nodes)
        {
            switch (node.Domain is "" or "ai.onnx" ? node.OpType : $"{node.Domain}.{node.OpType}")
            {
                case "DequantizeLinear":
                    found.Linear(node, scopes, codes: 0, scale: 1, zero: 2, DefaultAxis(node, 1), Attribute(node, "block_size", 0));
                    break;
                case "QLinearMatMul": // a, a_scale, a_zp, b, b_scale, b_zp, y_scale, y_zp: b's scales are per column
                    found.Linear(node, scopes, codes: 3, scale: 4, zero: 5, axis: -1, blockSize: 0);
                    break;
                case "QLinearConv": // x, x_scale, x_zp, w, w_scale, w_zp, ...: w's scales are per output channel
                    found.Linear(node, scopes, codes: 3, scale: 4, zero: 5, axis: 0, blockSize: 0);
                    break;
                case "MatMulInteger": // A, B, a_zp, b_zp: B's zero points are per column
                    found.Linear(node, scopes, codes: 1, scale: -1, zero: 3, axis: -1, blockSize: 0);
                    break;
                case "com.microsoft.MatMulNBits":
                    found.NBits(node, scopes);
                    break;
            }
        }
        return found;
    }

    private void Linear(NodeProto node, string[] scopes, int codes, int scale, int zero, int axis, long blockSize)
    {
        string op = node.OpType;
        if (Resolve(node, scopes, codes) is not int index || Weights.ContainsKey(index)) return; // an activation, or a weight already found
        OnnxTensorInfo q = _tensors[index];
        if (OnnxIntegerTypes.Bits(q.DataType) == 0)
        {
            Undecodable[index] = $"{op} of {q.StoredDType} codes is not decoded";
            return;
        }
        OnnxTensorInfo? s = null, z = null;
        if (scale >= 0)
        {
            if (Resolve(node, scopes, scale) is not int si)
            {
                Undecodable[index] = $"{op} scale '{Input(node, scale)}' is not a constant of the model";
                return;
            }
            s = _tensors[si];
            if (s.DType == TensorDType.Unsupported) throw Bad(q.Name, $"{op} scale '{s.Name}' is {s.StoredDType}, not a float type.");
        }
        if (Input(node, zero) is { Length: > 0 } zeroName)
        {
            if (Resolve(node, scopes, zero) is not int zi)
            {
                Undecodable[index] = $"{op} zero point '{zeroName}' is not a constant of the model";
                return;
            }
            z = _tensors[zi];
            if (z.DataType != q.DataType)
                throw Bad(q.Name, $"{op} zero point '{z.Name}' is {z.StoredDType} but the weight is {q.StoredDType}; they must be the same type.");
        }

        long[] shape = q.Shape;
        long[] parameters = (s ?? z)?.Shape ?? [];
        long count = parameters.Aggregate(1L, (a, b) => a * b);
        if (s is not null && z is not null && !s.Shape.SequenceEqual(z.Shape))
            throw Bad(q.Name, $"{op} zero point shape [{string.Join(", ", z.Shape)}] differs from scale shape [{string.Join(", ", s.Shape)}].");
        if (axis == -1) axis = shape.Length - 1; // per column of the matrix B
        if (axis < -shape.Length || axis >= Math.Max(shape.Length, 1))
            throw Bad(q.Name, $"{op} axis {axis} is outside the weight's rank {shape.Length}.");
        if (axis < 0) axis += shape.Length;
        if (blockSize < 0) throw Bad(q.Name, $"{op} block_size {blockSize} is negative.");

        if ((s ?? z) is null || (count == 1 && blockSize == 0) || (count == 1 && parameters.Length <= 1))
            axis = -1;
        else if (blockSize == 0)
        {
            // One parameter per index along the axis; a 1-D run, or a shape of ones but there.
            if (shape.Length == 0 || count != shape[axis] || parameters.Count(d => d != 1) > 1)
                throw Bad(q.Name, $"{op} scale shape [{string.Join(", ", parameters)}] is neither one scale nor one per index of axis {axis} (of {(shape.Length == 0 ? 0 : shape[axis])}).");
        }
        else
        {
            bool fits = parameters.Length == shape.Length;
            for (int i = 0; fits && i < shape.Length; i++)
                fits = parameters[i] == (i == axis ? (shape[i] + blockSize - 1) / blockSize : shape[i]);
            if (!fits)
                throw Bad(q.Name, $"{op} scale shape [{string.Join(", ", parameters)}] does not hold one scale per block of {blockSize} along axis {axis} of [{string.Join(", ", shape)}].");
        }

        if (s is not null) Consumed(s, q, "scale");
        if (z is not null) Consumed(z, q, "zero point");
        // A block longer than its axis is one block (valid, and it must not make the scales that long when laid out).
        long block = axis < 0 ? 0 : Math.Min(blockSize, shape[axis]);
        Weights[index] = new OnnxLinearQuantizedWeight(WeightName(q.Name), q, s, z, axis, block, op);
    }

    private void NBits(NodeProto node, string[] scopes)
    {
        if (Resolve(node, scopes, 1) is not int index || Weights.ContainsKey(index)) return;
        OnnxTensorInfo b = _tensors[index];
        long k = Attribute(node, "K", -1), n = Attribute(node, "N", -1), bits = Attribute(node, "bits", 4), block = Attribute(node, "block_size", -1);
        if (k <= 0 || n <= 0) throw Bad(b.Name, $"MatMulNBits attributes K={k}, N={n} must be positive.");
        if (block < 16 || (block & (block - 1)) != 0 || block > 1 << 20)
            throw Bad(b.Name, $"MatMulNBits block_size {block} is not a power of two of at least 16.");
        if (bits is not (2 or 4 or 8))
        {
            Undecodable[index] = bits is > 1 and < 9 ? $"MatMulNBits with {bits}-bit codes is not decoded" : throw Bad(b.Name, $"MatMulNBits bits={bits} is outside 2..8.");
            return;
        }
        if (Input(node, 4) is { Length: > 0 })
        {
            Undecodable[index] = "MatMulNBits with g_idx (act-order) is not decoded";
            return;
        }
        long blocks = (k + block - 1) / block, blob = block * bits / 8;
        if (b.DataType != DataType.Uint8 || !b.Shape.SequenceEqual([n, blocks, blob]))
            throw Bad(b.Name, $"MatMulNBits B is {b.StoredDType} [{string.Join(", ", b.Shape)}]; K={k}, N={n}, bits={bits}, block_size={block} need UINT8 [{n}, {blocks}, {blob}].");
        if (Resolve(node, scopes, 2) is not int si)
        {
            Undecodable[index] = $"MatMulNBits scales '{Input(node, 2)}' are not a constant of the model";
            return;
        }
        OnnxTensorInfo s = _tensors[si];
        if (s.DType == TensorDType.Unsupported || s.Shape.Aggregate(1L, (a, c) => a * c) != n * blocks || s.Shape.Length is 0 or > 2)
            throw Bad(b.Name, $"MatMulNBits scales '{s.Name}' are {s.StoredDType} [{string.Join(", ", s.Shape)}]; they must be floats, one per row and block ({n} x {blocks}).");
        OnnxTensorInfo? z = null;
        if (Input(node, 3) is { Length: > 0 } zeroName)
        {
            if (Resolve(node, scopes, 3) is not int zi)
            {
                Undecodable[index] = $"MatMulNBits zero points '{zeroName}' are not a constant of the model";
                return;
            }
            z = _tensors[zi];
            long zeros = z.Shape.Aggregate(1L, (a, c) => a * c);
            bool packed = z.DataType == DataType.Uint8 && zeros == n * ((blocks * bits + 7) / 8);
            bool floats = z.DType == s.DType && zeros == n * blocks;
            if (!packed && !floats)
                throw Bad(b.Name, $"MatMulNBits zero points '{z.Name}' are {z.StoredDType} [{string.Join(", ", z.Shape)}]; they must be UINT8 packed {bits}-bit ({n} x {(blocks * bits + 7) / 8} bytes) or {s.StoredDType} like the scales ({n} x {blocks}).");
            Consumed(z, b, "zero points");
        }
        Consumed(s, b, "scales");
        Weights[index] = new OnnxNBitsWeight(WeightName(b.Name), b, s, z, k, n, (int)bits, block);
    }

    private void Consumed(OnnxTensorInfo parameter, OnnxTensorInfo weight, string role)
    {
        int index = _byName[parameter.Name];
        if (!Weights.ContainsKey(index)) Undecodable.TryAdd(index, $"{role} of quantized weight '{weight.Name}'");
    }

    /// <summary>The quantized initializer's name less a quantizer's suffix, unless that name is taken.</summary>
    private string WeightName(string stored)
    {
        foreach (string suffix in QuantizerSuffixes)
        {
            if (!stored.EndsWith(suffix, StringComparison.Ordinal)) continue;
            string name = stored[..^suffix.Length];
            if (name.Length > 0 && _names.Add(name)) return name;
        }
        return stored;
    }

    private int? Resolve(NodeProto node, string[] scopes, int input)
    {
        string name = Input(node, input);
        if (name.Length == 0) return null;
        foreach (string scope in scopes)
            if (_byName.TryGetValue(scope + name, out int index)) return index;
        return null;
    }

    private static string Input(NodeProto node, int input) => input >= 0 && input < node.Input.Count ? node.Input[input] : "";

    private static long Attribute(NodeProto node, string name, long fallback) =>
        node.Attribute.FirstOrDefault(a => a.Name == name) is { } a ? a.I : fallback;

    private static int DefaultAxis(NodeProto node, int fallback)
    {
        long axis = Attribute(node, "axis", fallback);
        return axis is >= int.MinValue / 2 and <= int.MaxValue / 2 ? (int)axis : int.MaxValue / 2;
    }

    private ModelFormatException Bad(string tensor, string problem) => new(_path, tensor, problem);
}
