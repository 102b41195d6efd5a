using SpectralGate.Engine.Deltas;
using SpectralGate.Engine.Sources.Safetensors;
using static TorchSharp.torch;

namespace SpectralGate.Tests.Support;

/// <summary>Float64 safetensors checkpoints made from tensors, so a delta test sees exactly the planted values.</summary>
internal static class DeltaFixtures
{
    public static SafetensorsWriter.Tensor Float64(string name, Tensor value)
    {
        double[] data = value.to(ScalarType.Float64).contiguous().data<double>().ToArray();
        var bytes = new byte[data.Length * 8];
        Buffer.BlockCopy(data, 0, bytes, 0, bytes.Length);
        return new SafetensorsWriter.Tensor(name, "F64", value.shape, bytes);
    }

    public static string Checkpoint(params (string Name, Tensor Value)[] tensors) =>
        SafetensorsFixtures.Write(tensors.Select(t => Float64(t.Name, t.Value)).ToArray());

    /// <summary>An n×k matrix with orthonormal columns, from QR of a seeded Gaussian.</summary>
    public static Tensor Orthonormal(int n, int k, int seed)
    {
        var (q, _) = linalg.qr(randn([n, k], ScalarType.Float64, generator: new Generator((ulong)seed, CPU)));
        return q;
    }

    public static Tensor Gaussian(int rows, int cols, int seed) =>
        randn([rows, cols], ScalarType.Float64, generator: new Generator((ulong)seed, CPU));


    /// <summary>A PEFT folder with rank-<paramref name="r"/> modules for <paramref name="targets"/> (name, out, in); A, B seeded Gaussians.</summary>
    public static string WriteAdapter(int r, double alpha, bool rslora, params (string Target, int Out, int In)[] targets) =>
        WriteAdapter(r, alpha, rslora, fanInFanOut: false, targets);

    /// <summary>As above; with <paramref name="fanInFanOut"/> the base weights are <c>[in, out]</c> (GPT-2's Conv1D) and ΔW = s·(B·A)ᵀ.</summary>
    public static string WriteAdapter(int r, double alpha, bool rslora, bool fanInFanOut, params (string Target, int Out, int In)[] targets)
    {
        string folder = TestPaths.NewScratchFolder();
        File.WriteAllText(Path.Combine(folder, LoraAdapter.ConfigFile),
            $$"""{"peft_type": "LORA", "r": {{r}}, "lora_alpha": {{alpha}}, "use_rslora": {{(rslora ? "true" : "false")}}, "fan_in_fan_out": {{(fanInFanOut ? "true" : "false")}}, "target_modules": ["q_proj", "v_proj"]}""");
        var tensors = new List<SafetensorsWriter.Tensor>();
        int seed = 100;
        foreach (var (target, outDim, inDim) in targets)
        {
            string stem = "base_model.model." + target[..^".weight".Length];
            tensors.Add(DeltaFixtures.Float64(stem + ".lora_A.weight", DeltaFixtures.Gaussian(r, inDim, seed++)));
            tensors.Add(DeltaFixtures.Float64(stem + ".lora_B.weight", DeltaFixtures.Gaussian(outDim, r, seed++)));
        }
        SafetensorsWriter.Write(Path.Combine(folder, LoraAdapter.WeightsFile), tensors);
        return folder;
    }
}
