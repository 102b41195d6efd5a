using System.Buffers.Binary;
using System.Diagnostics;
using SpectralGate.Engine.Errors;
using SpectralGate.Engine.Sources;
using SpectralGate.Engine.Sources.Safetensors;
using SpectralGate.Tests.Support;
using TorchSharp;

namespace SpectralGate.Engine.Tests.Sources.Quantized;

/// <summary>
/// Quantized checkpoints whose tensors or configuration contradict their layout: each is a <see cref="ModelFormatException"/>
/// naming the file and the tensor (exit code 2 in the CLI), found fast, never a crash, a wrong matrix or a giant allocation.
/// </summary>
public class QuantizedHostileTests
{
    private const string Q = "model.layers.0.self_attn.q_proj";

    internal sealed record Case(string Name, Func<QuantizedCheckpoints.Checkpoint> Make, Action<QuantizedCheckpoints.Checkpoint, List<SafetensorsWriter.Tensor>> Break,
        Func<string, string> ConfigEdit, string File, string Tensor, string Problem)
    {
        public override string ToString() => Name;
    }

    private static void Replace(List<SafetensorsWriter.Tensor> tensors, string name, Func<SafetensorsWriter.Tensor, SafetensorsWriter.Tensor> change)
    {
        int i = tensors.FindIndex(t => t.Name == name);
        tensors[i] = change(tensors[i]);
    }

    private static SafetensorsWriter.Tensor Int32At(SafetensorsWriter.Tensor t, int index, int value)
    {
        var data = (byte[])t.Data.Clone();
        BinaryPrimitives.WriteInt32LittleEndian(data.AsSpan(4 * index), value);
        return t with { Data = data };
    }

    private static SafetensorsWriter.Tensor DropRows(SafetensorsWriter.Tensor t, int rows)
    {
        long rowBytes = t.Data.Length / t.Shape[0];
        return t with { Shape = [t.Shape[0] - rows, .. t.Shape[1..]], Data = t.Data[..(int)(t.Data.Length - rows * rowBytes)] };
    }

    private static SafetensorsWriter.Tensor DropColumns(SafetensorsWriter.Tensor t, int columns, int elementBytes)
    {
        int rows = (int)t.Shape[0], cols = (int)t.Shape[1], kept = cols - columns;
        var data = new byte[rows * kept * elementBytes];
        for (int r = 0; r < rows; r++) Array.Copy(t.Data, r * cols * elementBytes, data, r * kept * elementBytes, kept * elementBytes);
        return t with { Shape = [rows, kept], Data = data };
    }

    private static string Same(string config) => config;

    public static IEnumerable<string> CaseNames() => Cases().Select(c => c.Name);

    internal static IEnumerable<Case> Cases()
    {
        Func<QuantizedCheckpoints.Checkpoint> gptq = () => QuantizedCheckpoints.Gptq(4, 16, v2: false, actOrder: true);
        Func<QuantizedCheckpoints.Checkpoint> awq = () => QuantizedCheckpoints.Awq(32);
        Func<QuantizedCheckpoints.Checkpoint> ct = () => QuantizedCheckpoints.CompressedPacked(4, 32, symmetric: false);
        Func<QuantizedCheckpoints.Checkpoint> fp8 = () => QuantizedCheckpoints.Fp8Block(48, 48);
        const string St = "model.safetensors", Config = "config.json";

        yield return new("GPTQ scales of the wrong shape", gptq, (_, t) => Replace(t, Q + ".scales", s => DropRows(s, 1)), Same, St, Q + ".scales", "need [4, 64]");
        yield return new("GPTQ g_idx out of range", gptq, (_, t) => Replace(t, Q + ".g_idx", g => Int32At(g, 5, 99)), Same, St, Q + ".g_idx", "g_idx[5] = 99 is outside the 4 groups");
        yield return new("GPTQ negative g_idx", gptq, (_, t) => Replace(t, Q + ".g_idx", g => Int32At(g, 0, -1)), Same, St, Q + ".g_idx", "is outside the 4 groups");
        yield return new("GPTQ packed weight shorter than its shape", gptq, (_, t) => Replace(t, Q + ".qweight", q => DropRows(q, 1)), Same, St, Q + ".qweight", "has 7 packed rows; 64 inputs of 4 bits need 8");
        yield return new("GPTQ qzeros of the wrong shape", gptq, (_, t) => Replace(t, Q + ".qzeros", q => DropColumns(q, 1, 4)), Same, St, Q + ".qzeros", "need [4, 8]");
        yield return new("GPTQ absurd bit width 7", gptq, (_, _) => { }, c => c.Replace("\"bits\":4", "\"bits\":7"), Config, "qweight", "bits 7 is not one of GPTQ's 2, 3, 4, 8");
        yield return new("GPTQ absurd bit width 4096", gptq, (_, _) => { }, c => c.Replace("\"bits\":4", "\"bits\":4096"), Config, "qweight", "bits 4096");
        yield return new("GPTQ group size 0", gptq, (_, _) => { }, c => c.Replace("\"group_size\":16", "\"group_size\":0"), Config, "qweight", "group_size 0");
        yield return new("GPTQ bits a string", gptq, (_, _) => { }, c => c.Replace("\"bits\":4", "\"bits\":\"4\""), Config, "", "'bits' is \"4\", not an integer");
        yield return new("GPTQ scales of integers", gptq, (_, t) => Replace(t, Q + ".scales", s => s with { DType = "I16" }), Same, St, Q + ".scales", "scales must be a float type");

        yield return new("AWQ group size not dividing the inputs", awq, (_, _) => { }, c => c.Replace("\"group_size\":32", "\"group_size\":48"), Config, "down_proj.qweight", "group_size 48 does not divide the 128 inputs");
        yield return new("AWQ scales of the wrong shape", awq, (_, t) => Replace(t, Q + ".scales", s => DropColumns(s, 8, 2)), Same, St, Q + ".scales", "need [2, 64]");
        yield return new("AWQ qzeros of the wrong shape", awq, (_, t) => Replace(t, Q + ".qzeros", s => DropRows(s, 1)), Same, St, Q + ".qzeros", "must be [2, 8]");
        yield return new("AWQ absurd bit width", awq, (_, _) => { }, c => c.Replace("\"bits\":4", "\"bits\":99"), Config, ".qweight", "bits 99 is outside 1..8");

        yield return new("compressed-tensors packed weight shorter than weight_shape", ct, (_, t) => Replace(t, Q + ".weight_packed", p => DropColumns(p, 1, 4)), Same, St, Q + ".weight_packed", "needs [64, 8]");
        yield return new("compressed-tensors absurd num_bits", ct, (_, _) => { }, c => c.Replace("\"num_bits\":4", "\"num_bits\":12"), Config, ".weight_packed", "num_bits 12");
        yield return new("compressed-tensors scales of the wrong shape", ct, (_, t) => Replace(t, Q + ".weight_scale", s => DropRows(s, 1)), Same, St, Q + ".weight_scale", "needs one scale");
        yield return new("compressed-tensors group size not matching the scales", ct, (_, _) => { }, c => c.Replace("\"group_size\":32", "\"group_size\":16"), St, ".weight_scale", "columns in groups of 16 need");
        yield return new("compressed-tensors g_idx out of range", ct, (_, t) => t.Add(QuantizedCheckpoints.Int32(Q + ".weight_g_idx", new uint[,] { }, Enumerable.Range(0, 64).Select(i => i == 9 ? 2 : i / 32).ToArray())), Same, St, Q + ".weight_g_idx", "weight_g_idx[9] = 2 is outside the 2 groups");
        yield return new("compressed-tensors zero points of the wrong shape", ct, (_, t) => Replace(t, Q + ".weight_zero_point", z => DropRows(z, 1)), Same, St, Q + ".weight_zero_point", "need [8, 2]");
        yield return new("compressed-tensors weight_shape lying", ct, (_, t) => Replace(t, Q + ".weight_shape", s => QuantizedCheckpoints.Int64(s.Name, [64, -5])), Same, St, Q + ".weight_shape", "weight_shape is two non-negative sizes");
        yield return new("compressed-tensors no group targets the weight", ct, (_, _) => { }, c => c.Replace("[\"Linear\"]", "[\"re:.*nothing\"]"), Config, ".weight_packed", "no config_groups entry");

        yield return new("FP8 block scales of the wrong grid", fp8, (_, t) => Replace(t, Q + ".weight_scale_inv", s => DropRows(s, 1)), Same, St, Q + ".weight_scale_inv", "as configured");
        yield return new("FP8 block size zero", fp8, (_, _) => { }, c => c.Replace("[48,48]", "[0,48]"), Config, ".weight", "weight_block_size [0,48]");
        yield return new("FP8 two scales", fp8, (_, t) => t.Add(SafetensorsWriter.Float32(Q + ".weight_scale", [1], [1f])), Same, St, Q + ".weight", "has both");
        yield return new("config.json not JSON", fp8, (_, _) => { }, c => c[..^3], Config, "", "is not valid JSON");
    }

    [TestCaseSource(nameof(CaseNames))]
    public void IsAModelFormatErrorNamingFileAndTensor(string name)
    {
        var c = Cases().Single(c => c.Name == name);
        var checkpoint = c.Make();
        c.Break(checkpoint, checkpoint.Tensors);
        string folder = TestPaths.NewScratchFolder();
        string path = (checkpoint with { ConfigJson = c.ConfigEdit(checkpoint.ConfigJson) }).Write(folder);
        var clock = Stopwatch.StartNew();

        var e = Assert.Throws<ModelFormatException>(() => ReadEveryWeight(path));

        TestContext.Out.WriteLine(e!.Message);
        Assert.That(Path.GetFileName(e.FilePath), Is.EqualTo(c.File));
        Assert.That(e.Message, Does.Contain(c.Tensor));
        Assert.That(e.Problem, Does.Contain(c.Problem));
        Assert.That(clock.Elapsed, Is.LessThan(TimeSpan.FromSeconds(30)));
    }

    private static void ReadEveryWeight(string path)
    {
        using var source = ModelSources.Open(path);
        foreach (var entry in source.Tensors)
        {
            if (entry.Quantization is null || entry.QuantizationParameterOf is not null) continue;
            using var tensor = entry.Load(torch.CPU, torch.ScalarType.Float32);
        }
    }
}
