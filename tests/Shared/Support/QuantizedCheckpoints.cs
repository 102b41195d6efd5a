using System.Buffers.Binary;
using SpectralGate.Engine.Sources.Safetensors;

namespace SpectralGate.Tests.Support;

/// <summary>
/// The TinyLlama weights quantized and packed as the quantization libraries quantize and pack them, each packing loop
/// written here from the library's own code (cited per method), never by SpectralGate's decoders; with each weight's
/// dequantized values as the library computes them, for a float twin and bit-for-bit checks.
/// </summary>
internal static class QuantizedCheckpoints
{
    /// <summary>A quantized checkpoint: its tensors, its config.json, and each quantized weight's dequantized values [out, in].</summary>
    public sealed record Checkpoint(List<SafetensorsWriter.Tensor> Tensors, string ConfigJson, Dictionary<string, (long[] Shape, float[] Values)> Dequantized)
    {
        /// <summary>Writes model.safetensors and config.json (when there is one) into <paramref name="folder"/>.</summary>
        public string Write(string folder, bool withConfig = true)
        {
            if (withConfig) File.WriteAllText(Path.Combine(folder, "config.json"), ConfigJson);
            string path = Path.Combine(folder, "model.safetensors");
            SafetensorsWriter.Write(path, Tensors);
            return path;
        }

        /// <summary>The float twin: every weight as float32, quantized ones as their dequantized values, under the same names.</summary>
        public string WriteFloatTwin(string folder)
        {
            // Float tensors as the checkpoint stores them (same bytes), quantized ones as float32.
            var tensors = TinyLlama.Weights().Select(w => Dequantized.TryGetValue(w.HfName, out var d)
                ? SafetensorsWriter.Float32(w.HfName, d.Shape, d.Values)
                : Tensors.Single(t => t.Name == w.HfName)).ToArray();
            string path = Path.Combine(folder, "twin.safetensors");
            SafetensorsWriter.Write(path, tensors);
            return path;
        }
    }

    /// <summary>The linear weights of TinyLlama's blocks (quantized); embeddings, lm_head and norms stay float as the libraries leave them.</summary>
    public static bool IsQuantized(TinyLlama.Weight w) => w.Shape.Length == 2 && w.HfName.StartsWith("model.layers.", StringComparison.Ordinal);

    public static string Module(string weightName) => weightName[..^".weight".Length];

    /// <summary>
    /// GPTQ: asymmetric min/max quantization per group of inputs (scale in fp16, zero in [1, 2^b − 1]), codes packed
    /// along the input and zeros along the output as AutoGPTQ's <c>QuantLinear.pack</c> does
    /// (auto_gptq/nn_modules/qlinear/qlinear_cuda_old.py, 3-bit straddling branch included), zeros stored − 1 in v1.
    /// Act-order stores g_idx from a permutation of the inputs. Dequantized: fp16(scale · (q − zero)).
    /// </summary>
    public static Checkpoint Gptq(int bits, int groupSize, bool v2, bool actOrder)
    {
        var tensors = new List<SafetensorsWriter.Tensor>();
        var dequantized = new Dictionary<string, (long[], float[])>();
        int maxq = (1 << bits) - 1;
        foreach (var w in TinyLlama.Weights())
        {
            if (!IsQuantized(w)) { tensors.Add(Float16(w.HfName, w.Shape, w.Values)); continue; }
            int rows = (int)w.Shape[0], cols = (int)w.Shape[1]; // out, in
            int g = groupSize == -1 ? cols : groupSize, groups = (cols + g - 1) / g;
            int[] gIdx = new int[cols];
            if (actOrder)
            {
                int[] perm = Enumerable.Range(0, cols).OrderBy(i => (i * 37 + 11) % cols).ToArray();
                for (int k = 0; k < cols; k++) gIdx[perm[k]] = k / g;
            }
            else for (int i = 0; i < cols; i++) gIdx[i] = i / g;

            var scale = new Half[groups, rows];
            var zero = new int[groups, rows];
            var q = new int[cols, rows]; // intweight: [in, out]
            var deq = new float[rows * cols];
            for (int gi = 0; gi < groups; gi++)
                for (int j = 0; j < rows; j++)
                {
                    float min = 0, max = 0;
                    for (int i = 0; i < cols; i++)
                        if (gIdx[i] == gi) { min = Math.Min(min, w.Values[j * cols + i]); max = Math.Max(max, w.Values[j * cols + i]); }
                    Half s = (Half)Math.Max((max - min) / maxq, 1e-4f);
                    scale[gi, j] = s;
                    zero[gi, j] = Math.Clamp((int)Math.Round(-min / (float)s), 1, maxq);
                }
            for (int j = 0; j < rows; j++)
                for (int i = 0; i < cols; i++)
                {
                    int gi = gIdx[i];
                    float s = (float)scale[gi, j];
                    q[i, j] = Math.Clamp((int)Math.Round(w.Values[j * cols + i] / s) + zero[gi, j], 0, maxq);
                    deq[j * cols + i] = (float)(Half)(s * (q[i, j] - zero[gi, j]));
                }
            var storedZero = new int[groups, rows];
            for (int gi = 0; gi < groups; gi++)
                for (int j = 0; j < rows; j++) storedZero[gi, j] = zero[gi, j] - (v2 ? 0 : 1);

            string m = Module(w.HfName);
            tensors.Add(Int32(m + ".qweight", PackGptqRows(q, bits)));
            // qzeros are packed along the outputs: the same loop over the transposed zeros, transposed back.
            tensors.Add(Int32(m + ".qzeros", TransposeWords(PackGptqRows(Transpose(storedZero), bits))));
            var scales = new float[groups * rows];
            for (int gi = 0; gi < groups; gi++)
                for (int j = 0; j < rows; j++) scales[gi * rows + j] = (float)scale[gi, j];
            tensors.Add(Float16(m + ".scales", [groups, rows], scales));
            if (actOrder) tensors.Add(Int32(m + ".g_idx", new uint[,] { }, gIdx));
            dequantized[w.HfName] = (w.Shape, deq);
        }
        string format = v2 ? "gptq_v2" : "gptq";
        string config = $$$"""{"architectures":["LlamaForCausalLM"],"quantization_config":{"quant_method":"gptq","bits":{{{bits}}},"group_size":{{{groupSize}}},"desc_act":{{{(actOrder ? "true" : "false")}}},"sym":false,"checkpoint_format":"{{{format}}}"}}""";
        return new Checkpoint(tensors, config, dequantized);
    }

    /// <summary>
    /// AutoGPTQ's pack loop over the rows of intweight [n, cols] (qlinear_cuda_old.py <c>pack</c>): 32/b codes per
    /// word for 2/4/8 bits; for 3 bits ten codes, then one straddling code whose low two bits end word 0 and high
    /// bit starts word 1, and so on over three words.
    /// </summary>
    public static uint[,] PackGptqRows(int[,] intweight, int bits)
    {
        int n = intweight.GetLength(0), cols = intweight.GetLength(1);
        var qweight = new uint[n / 32 * bits, cols];
        int i = 0, row = 0;
        uint At(int r, int c) => (uint)intweight[r, c];
        while (row < qweight.GetLength(0))
        {
            for (int c = 0; c < cols; c++)
            {
                int ii = i, rr = row;
                if (bits is 2 or 4 or 8)
                    for (int j = ii; j < ii + 32 / bits; j++) qweight[rr, c] |= At(j, c) << (bits * (j - ii));
                else
                {
                    for (int j = ii; j < ii + 10; j++) qweight[rr, c] |= At(j, c) << (3 * (j - ii));
                    ii += 10;
                    qweight[rr, c] |= At(ii, c) << 30;
                    rr++;
                    qweight[rr, c] |= (At(ii, c) >> 2) & 1;
                    ii++;
                    for (int j = ii; j < ii + 10; j++) qweight[rr, c] |= At(j, c) << (3 * (j - ii) + 1);
                    ii += 10;
                    qweight[rr, c] |= At(ii, c) << 31;
                    rr++;
                    qweight[rr, c] |= (At(ii, c) >> 1) & 0x3;
                    ii++;
                    for (int j = ii; j < ii + 10; j++) qweight[rr, c] |= At(j, c) << (3 * (j - ii) + 2);
                }
            }
            if (bits is 2 or 4 or 8) { i += 32 / bits; row += 1; }
            else { i += 32; row += 3; }
        }
        return qweight;
    }

    /// <summary>
    /// AWQ GEMM: per group of inputs min/max quantization to 4 bits (fp16 scales [in/g, out], zeros [in/g, out]),
    /// packed as AutoAWQ's GEMM <c>pack</c> does: eight output columns per word, column <c>order_map[i]</c> at shift 4i with
    /// order_map = [0, 2, 4, 6, 1, 3, 5, 7] (awq/modules/linear/gemm.py; reversed by packing_utils.py AWQ_REVERSE_ORDER).
    /// </summary>
    public static Checkpoint Awq(int groupSize)
    {
        int[] orderMap = [0, 2, 4, 6, 1, 3, 5, 7];
        var tensors = new List<SafetensorsWriter.Tensor>();
        var dequantized = new Dictionary<string, (long[], float[])>();
        foreach (var w in TinyLlama.Weights())
        {
            if (!IsQuantized(w)) { tensors.Add(Float16(w.HfName, w.Shape, w.Values)); continue; }
            int rows = (int)w.Shape[0], cols = (int)w.Shape[1], groups = cols / groupSize;
            var scales = new float[groups * rows];
            var zeros = new int[groups, rows];
            var intweight = new int[cols, rows];
            var deq = new float[rows * cols];
            for (int gi = 0; gi < groups; gi++)
                for (int j = 0; j < rows; j++)
                {
                    float min = 0, max = 0;
                    for (int i = gi * groupSize; i < (gi + 1) * groupSize; i++) { min = Math.Min(min, w.Values[j * cols + i]); max = Math.Max(max, w.Values[j * cols + i]); }
                    float s = (float)(Half)Math.Max((max - min) / 15, 1e-4f);
                    int z = Math.Clamp((int)Math.Round(-min / s), 0, 15);
                    scales[gi * rows + j] = s;
                    zeros[gi, j] = z;
                    for (int i = gi * groupSize; i < (gi + 1) * groupSize; i++)
                    {
                        int q = Math.Clamp((int)Math.Round(w.Values[j * cols + i] / s) + z, 0, 15);
                        intweight[i, j] = q;
                        deq[j * cols + i] = (float)(Half)((q - z) * s);
                    }
                }
            string m = Module(w.HfName);
            tensors.Add(Int32(m + ".qweight", PackAwq(intweight, orderMap)));
            tensors.Add(Int32(m + ".qzeros", PackAwq(zeros, orderMap)));
            tensors.Add(Float16(m + ".scales", [groups, rows], scales));
            dequantized[w.HfName] = (w.Shape, deq);
        }
        string config = $$$"""{"architectures":["LlamaForCausalLM"],"quantization_config":{"quant_method":"awq","bits":4,"group_size":{{{groupSize}}},"zero_point":true,"version":"gemm"}}""";
        return new Checkpoint(tensors, config, dequantized);
    }

    private static uint[,] PackAwq(int[,] intweight, int[] orderMap)
    {
        int n = intweight.GetLength(0), cols = intweight.GetLength(1);
        var packed = new uint[n, cols / 8];
        for (int r = 0; r < n; r++)
            for (int col = 0; col < cols / 8; col++)
                for (int i = 0; i < 8; i++) packed[r, col] |= (uint)intweight[r, col * 8 + orderMap[i]] << (i * 4);
        return packed;
    }

    /// <summary>
    /// compressed-tensors pack-quantized: signed codes per group of inputs (bf16 scales [out, in/g]), asymmetric zero
    /// points packed along the rows; packing as <c>pack_to_int32</c> (compressors/quantized_compressors/pack_quantized.py):
    /// value + 2^(b−1), column i::pf at shift b·i. Dequantized: bf16((q − zp) · scale).
    /// </summary>
    public static Checkpoint CompressedPacked(int bits, int groupSize, bool symmetric)
    {
        var tensors = new List<SafetensorsWriter.Tensor>();
        var dequantized = new Dictionary<string, (long[], float[])>();
        int qmin = -(1 << (bits - 1)), qmax = (1 << (bits - 1)) - 1, pf = 32 / bits;
        foreach (var w in TinyLlama.Weights())
        {
            if (!IsQuantized(w)) { tensors.Add(BFloat16(w.HfName, w.Shape, w.Values)); continue; }
            int rows = (int)w.Shape[0], cols = (int)w.Shape[1], groups = cols / groupSize;
            var scales = new float[rows * groups];
            var zp = new int[rows, groups];
            var q = new int[rows, cols];
            var deq = new float[rows * cols];
            for (int r = 0; r < rows; r++)
                for (int gi = 0; gi < groups; gi++)
                {
                    float min = 0, max = 0;
                    for (int c = gi * groupSize; c < (gi + 1) * groupSize; c++) { min = Math.Min(min, w.Values[r * cols + c]); max = Math.Max(max, w.Values[r * cols + c]); }
                    float s = symmetric ? Math.Max(Math.Max(-min, max) / qmax, 1e-4f) : Math.Max((max - min) / (qmax - qmin), 1e-4f);
                    s = Bf16(s);
                    int z = symmetric ? 0 : Math.Clamp((int)Math.Round(qmin - min / s), qmin, qmax);
                    scales[r * groups + gi] = s;
                    zp[r, gi] = z;
                    for (int c = gi * groupSize; c < (gi + 1) * groupSize; c++)
                    {
                        q[r, c] = Math.Clamp((int)Math.Round(w.Values[r * cols + c] / s) + z, qmin, qmax);
                        deq[r * cols + c] = Bf16((q[r, c] - z) * s);
                    }
                }
            string m = Module(w.HfName);
            int packedCols = (cols + pf - 1) / pf;
            var packed = new uint[rows, packedCols];
            for (int r = 0; r < rows; r++)
                for (int i = 0; i < pf; i++)
                    for (int c = i, word = 0; c < cols; c += pf, word++) packed[r, word] |= (uint)(q[r, c] + (1 << (bits - 1))) << (bits * i);
            tensors.Add(Int32(m + ".weight_packed", packed));
            tensors.Add(BFloat16(m + ".weight_scale", [rows, groups], scales));
            tensors.Add(Int64(m + ".weight_shape", [rows, cols]));
            if (!symmetric)
            {
                var packedZp = new uint[(rows + pf - 1) / pf, groups];
                for (int i = 0; i < pf; i++)
                    for (int r = i, word = 0; r < rows; r += pf, word++)
                        for (int gi = 0; gi < groups; gi++) packedZp[word, gi] |= (uint)(zp[r, gi] + (1 << (bits - 1))) << (bits * i);
                tensors.Add(Int32(m + ".weight_zero_point", packedZp));
            }
            dequantized[w.HfName] = (w.Shape, deq);
        }
        string config = $$$"""{"quantization_config":{"quant_method":"compressed-tensors","format":"pack-quantized","quantization_status":"compressed","config_groups":{"group_0":{"targets":["Linear"],"weights":{"num_bits":{{{bits}}},"type":"int","symmetric":{{{(symmetric ? "true" : "false")}}},"strategy":"group","group_size":{{{groupSize}}} } } },"ignore":["lm_head"] } }""";
        return new Checkpoint(tensors, config, dequantized);
    }

    /// <summary>
    /// compressed-tensors naive-quantized int8 per channel: I8 weight, F32 scale [out, 1] (amax/127), symmetric.
    /// Dequantized: fp32(w · scale) (compressed_tensors quantization/lifecycle/forward.py <c>dequantize</c>).
    /// </summary>
    public static Checkpoint CompressedInt8()
    {
        var tensors = new List<SafetensorsWriter.Tensor>();
        var dequantized = new Dictionary<string, (long[], float[])>();
        foreach (var w in TinyLlama.Weights())
        {
            if (!IsQuantized(w)) { tensors.Add(SafetensorsWriter.Float32(w.HfName, w.Shape, w.Values)); continue; }
            int rows = (int)w.Shape[0], cols = (int)w.Shape[1];
            var codes = new byte[rows * cols];
            var scales = new float[rows];
            var deq = new float[rows * cols];
            for (int r = 0; r < rows; r++)
            {
                float amax = 0;
                for (int c = 0; c < cols; c++) amax = Math.Max(amax, Math.Abs(w.Values[r * cols + c]));
                float s = amax / 127;
                scales[r] = s;
                for (int c = 0; c < cols; c++)
                {
                    int q = Math.Clamp((int)Math.Round(w.Values[r * cols + c] / s), -128, 127);
                    codes[r * cols + c] = (byte)(sbyte)q;
                    deq[r * cols + c] = (float)((double)q * s);
                }
            }
            string m = Module(w.HfName);
            tensors.Add(new SafetensorsWriter.Tensor(w.HfName, "I8", w.Shape, codes));
            tensors.Add(SafetensorsWriter.Float32(m + ".weight_scale", [rows, 1], scales));
            dequantized[w.HfName] = (w.Shape, deq);
        }
        string config = """{"quantization_config":{"quant_method":"compressed-tensors","format":"naive-quantized","config_groups":{"group_0":{"targets":["Linear"],"weights":{"num_bits":8,"type":"int","symmetric":true,"strategy":"channel"}}}}}""";
        return new Checkpoint(tensors, config, dequantized);
    }

    /// <summary>
    /// FP8 E4M3 with block scales (DeepSeek-V3 style, <c>weight_scale_inv</c> F32 per block of rows x columns, amax/448),
    /// each value the nearest E4M3 code of w / scale. Dequantized: fp32(e4m3 · scale_inv), a multiply
    /// (transformers' <c>dequantize_block_fp8</c>: <c>qweight.float() * scale</c>).
    /// </summary>
    public static Checkpoint Fp8Block(int blockRows, int blockCols)
    {
        var tensors = new List<SafetensorsWriter.Tensor>();
        var dequantized = new Dictionary<string, (long[], float[])>();
        foreach (var w in TinyLlama.Weights())
        {
            if (!IsQuantized(w)) { tensors.Add(BFloat16(w.HfName, w.Shape, w.Values)); continue; }
            int rows = (int)w.Shape[0], cols = (int)w.Shape[1];
            int gr = (rows + blockRows - 1) / blockRows, gc = (cols + blockCols - 1) / blockCols;
            var scales = new float[gr * gc];
            for (int br = 0; br < gr; br++)
                for (int bc = 0; bc < gc; bc++)
                {
                    float amax = 0;
                    for (int r = br * blockRows; r < Math.Min(rows, (br + 1) * blockRows); r++)
                        for (int c = bc * blockCols; c < Math.Min(cols, (bc + 1) * blockCols); c++) amax = Math.Max(amax, Math.Abs(w.Values[r * cols + c]));
                    scales[br * gc + bc] = amax / 448;
                }
            var codes = new byte[rows * cols];
            var deq = new float[rows * cols];
            for (int r = 0; r < rows; r++)
                for (int c = 0; c < cols; c++)
                {
                    float s = scales[(r / blockRows) * gc + c / blockCols];
                    codes[r * cols + c] = NearestE4M3(w.Values[r * cols + c] / s);
                    deq[r * cols + c] = (float)(E4M3(codes[r * cols + c]) * s);
                }
            string m = Module(w.HfName);
            tensors.Add(new SafetensorsWriter.Tensor(w.HfName, "F8_E4M3", w.Shape, codes));
            tensors.Add(SafetensorsWriter.Float32(m + ".weight_scale_inv", [gr, gc], scales));
            dequantized[w.HfName] = (w.Shape, deq);
        }
        string config = $$$"""{"quantization_config":{"quant_method":"fp8","fmt":"e4m3","activation_scheme":"dynamic","weight_block_size":[{{{blockRows}}},{{{blockCols}}}]}}""";
        return new Checkpoint(tensors, config, dequantized);
    }

    /// <summary>
    /// E4M3FN by relocating its bits into an IEEE half (bias 7 to bias 15, three mantissa bits to the top of ten), and
    /// m/8 · 2^-6 for subnormals; S.1111.111 is NaN (OCP OFP8 spec, 2023, table 1).
    /// </summary>
    public static double E4M3(byte b)
    {
        int sign = b >> 7, e = (b >> 3) & 0xF, m = b & 7;
        if (e == 0xF && m == 7) return double.NaN;
        if (e == 0) return (sign == 1 ? -1.0 : 1.0) * (m / 8.0 / 64.0);
        return (double)BitConverter.UInt16BitsToHalf((ushort)((sign << 15) | ((e + 8) << 10) | (m << 7)));
    }

    /// <summary>E5M2 is the top byte of an IEEE half.</summary>
    public static double E5M2(byte b) => (double)BitConverter.UInt16BitsToHalf((ushort)(b << 8));

    /// <summary>The E4M3 code nearest to x (ties to the even code), saturating at ±448.</summary>
    public static byte NearestE4M3(float x)
    {
        byte best = 0;
        double bestError = double.PositiveInfinity;
        for (int code = 0; code < 256; code++)
        {
            double v = E4M3((byte)code);
            if (double.IsNaN(v)) continue;
            double error = Math.Abs(v - x);
            if (error < bestError || (error == bestError && (code & 1) == 0)) { best = (byte)code; bestError = error; }
        }
        return best;
    }

    public static float Bf16(float x)
    {
        uint bits = BitConverter.SingleToUInt32Bits(x);
        bits += 0x7FFF + ((bits >> 16) & 1);
        return BitConverter.UInt32BitsToSingle(bits & 0xFFFF0000);
    }

    public static SafetensorsWriter.Tensor Float16(string name, long[] shape, float[] values)
    {
        var bytes = new byte[values.Length * 2];
        for (int i = 0; i < values.Length; i++) BinaryPrimitives.WriteHalfLittleEndian(bytes.AsSpan(2 * i), (Half)values[i]);
        return new SafetensorsWriter.Tensor(name, "F16", shape, bytes);
    }

    public static SafetensorsWriter.Tensor BFloat16(string name, long[] shape, float[] values)
    {
        var bytes = new byte[values.Length * 2];
        for (int i = 0; i < values.Length; i++) BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(2 * i), (ushort)(BitConverter.SingleToUInt32Bits(Bf16(values[i])) >> 16));
        return new SafetensorsWriter.Tensor(name, "BF16", shape, bytes);
    }

    /// <summary>An I32 tensor of the words of a 2-D array, or of a 1-D list when the array is empty.</summary>
    public static SafetensorsWriter.Tensor Int32(string name, uint[,] words, int[]? list = null)
    {
        if (list is not null)
        {
            var b = new byte[list.Length * 4];
            for (int i = 0; i < list.Length; i++) BinaryPrimitives.WriteInt32LittleEndian(b.AsSpan(4 * i), list[i]);
            return new SafetensorsWriter.Tensor(name, "I32", [list.Length], b);
        }
        int rows = words.GetLength(0), cols = words.GetLength(1);
        var bytes = new byte[rows * cols * 4];
        for (int r = 0; r < rows; r++)
            for (int c = 0; c < cols; c++) BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(4 * (r * cols + c)), words[r, c]);
        return new SafetensorsWriter.Tensor(name, "I32", [rows, cols], bytes);
    }

    private static int[,] Transpose(int[,] a)
    {
        var t = new int[a.GetLength(1), a.GetLength(0)];
        for (int i = 0; i < a.GetLength(0); i++)
            for (int j = 0; j < a.GetLength(1); j++) t[j, i] = a[i, j];
        return t;
    }

    private static uint[,] TransposeWords(uint[,] a)
    {
        var t = new uint[a.GetLength(1), a.GetLength(0)];
        for (int i = 0; i < a.GetLength(0); i++)
            for (int j = 0; j < a.GetLength(1); j++) t[j, i] = a[i, j];
        return t;
    }

    /// <summary>An I64 list, as <c>torch.tensor(weight.shape)</c> stores a shape.</summary>
    public static SafetensorsWriter.Tensor Int64(string name, long[] list)
    {
        var b = new byte[list.Length * 8];
        for (int i = 0; i < list.Length; i++) BinaryPrimitives.WriteInt64LittleEndian(b.AsSpan(8 * i), list[i]);
        return new SafetensorsWriter.Tensor(name, "I64", [list.Length], b);
    }
}
